#pragma once
// The unified diff of one file's old and new content, git style ("--- a/PATH", "+++ b/PATH", 3 lines of context),
// made by libgit2 from the two buffers: what plan mode shows for every manifest edit.

#include <optional>
#include <string>

namespace hoist {

// OLD nullopt: the file is new ("--- /dev/null"). Empty when the contents are equal.
std::string unified_diff(const std::string& path, const std::optional<std::string>& old_content,
                         const std::string& new_content);

}  // namespace hoist
