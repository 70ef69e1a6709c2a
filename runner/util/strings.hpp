#pragma once
// Small string helpers used across the tree: a map's value or "", and ASCII lower case.

#include <map>
#include <string>
#include <string_view>

namespace hoist {

// The value of `key` in `map` (an environment, a step's outputs), or "" when it has none.
std::string value_or_empty(const std::map<std::string, std::string>& map, const std::string& key);

// `text` with ASCII letters in lower case; other bytes (UTF-8 included) unchanged. For case-insensitive protocol
// words: HTTP header and auth-scheme names, day names, hex digits.
std::string ascii_lower(std::string_view text);

}  // namespace hoist
