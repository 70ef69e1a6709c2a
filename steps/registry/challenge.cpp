// See challenge.hpp. A small hand-written scanner: token, then `name=value` pairs separated by commas, where a value
// is a token or a quoted string with backslash escapes; a token not followed by '=' starts the next challenge.

#include "steps/registry/challenge.hpp"

#include <cctype>

#include "runner/util/strings.hpp"

namespace hoist::registry {
namespace {


bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~/:").find(c) != std::string_view::npos;
}

}  // namespace

std::vector<Challenge> parse_www_authenticate(std::string_view h) {
  std::vector<Challenge> out;
  size_t i = 0;
  auto skip = [&] {
    while (i < h.size() && (std::isspace(static_cast<unsigned char>(h[i])) || h[i] == ',')) ++i;
  };
  auto token = [&] {
    size_t b = i;
    while (i < h.size() && is_token_char(h[i])) ++i;
    return std::string(h.substr(b, i - b));
  };
  while (true) {
    skip();
    if (i >= h.size()) break;
    std::string word = token();
    if (word.empty()) {
      ++i;  // junk: step over it
      continue;
    }
    size_t after = i;
    while (after < h.size() && h[after] == ' ') ++after;
    bool is_param = after < h.size() && h[after] == '=' && !out.empty() &&
                    !(after + 1 < h.size() && h[after + 1] == '=');  // token68 like "abc==" is not a param
    if (!is_param) {
      out.push_back({ascii_lower(word), {}});
      continue;
    }
    i = after + 1;
    while (i < h.size() && h[i] == ' ') ++i;
    std::string value;
    if (i < h.size() && h[i] == '"') {
      ++i;
      while (i < h.size() && h[i] != '"') {
        if (h[i] == '\\' && i + 1 < h.size()) ++i;
        value += h[i++];
      }
      ++i;
    } else {
      value = token();
    }
    out.back().params[ascii_lower(word)] = value;
  }
  return out;
}

}  // namespace hoist::registry
