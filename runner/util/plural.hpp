#pragma once
// Counted nouns for messages: counted(1, "layer") == "1 layer", counted(2, "layer") == "2 layers",
// counted(0, "entry", "entries") == "0 entries".

#include <cstddef>
#include <string>
#include <string_view>

namespace hoist {

inline std::string counted(std::size_t n, std::string_view one, std::string_view many = {}) {
  std::string word = n == 1 ? std::string(one) : many.empty() ? std::string(one) + "s" : std::string(many);
  return std::to_string(n) + " " + word;
}

}  // namespace hoist
