#pragma once
// Flux image-automation setter markers: a line comment `# {"$imagepolicy": "NS:POLICY"}` after a value marks it as
// the place where policy NS:POLICY's image goes (`:tag`, `:name`, `:digest` mark a part of it). Hoist sets the
// marked values without needing Flux, so a repository can be bumped by either.

#include <optional>
#include <string>
#include <string_view>

namespace hoist::yamledit {

// The marker text ("flux-system:podinfo:tag") of a `# {"$imagepolicy": "..."}` comment that follows byte `end`
// on the same line (blanks allowed before '#'); nullopt when the rest of the line is something else.
std::optional<std::string> marker_after(std::string_view text, std::size_t end);

// Throws InputError unless `target` is "NS:POLICY" or "NS:POLICY:tag|name|digest".
void check_marker_target(const std::string& target);

}  // namespace hoist::yamledit
