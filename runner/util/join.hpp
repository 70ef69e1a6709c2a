#pragma once
// Joining words for messages: join({"alice", "bob"}, ", ") == "alice, bob".

#include <string>
#include <string_view>
#include <vector>

namespace hoist {

inline std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

}  // namespace hoist
