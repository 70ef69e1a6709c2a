#pragma once
// Reading what an environment's values file says it runs: the tag at the policy's `image_key` and, when the file
// records one, the digest next to it (`image.tag` -> `image.digest`). Read-only; edits go through yamledit.

#include <optional>
#include <string>
#include <string_view>

namespace hoist::promote {

// The scalar at KEY_PATH (yamledit key path syntax: keys, [index], [field=value]) in the first document of TEXT;
// nullopt when absent or not a scalar. Throws InputError "FILE: ..." for unparsable YAML or a bad key path.
std::optional<std::string> read_value(std::string_view text, const std::string& key_path, const std::string& file);

// The key of the digest next to the tag: the last key of IMAGE_KEY replaced by "digest" ("image.tag" ->
// "image.digest"); "" when IMAGE_KEY's last segment is not a plain key.
std::string digest_key_for(const std::string& image_key);

}  // namespace hoist::promote
