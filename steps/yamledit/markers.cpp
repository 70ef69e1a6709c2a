// Reading Flux setter markers; see markers.hpp.

#include "steps/yamledit/markers.hpp"

#include <vector>

#include "runner/util/errors.hpp"

namespace hoist::yamledit {

// Matched by hand, not with std::regex, which recurses once per character and overflows the stack on a long comment.
namespace {

// ECMAScript `\s` for char: space, \t, \n, \v, \f, \r.
bool space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

void skip_space(std::string_view s, std::size_t& i) {
  while (i < s.size() && space(s[i])) ++i;
}

bool take(std::string_view s, std::size_t& i, std::string_view word) {
  if (s.substr(i, word.size()) != word) return false;
  i += word.size();
  return true;
}

}  // namespace

std::optional<std::string> marker_after(std::string_view text, std::size_t end) {
  std::size_t i = end;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != '#') return std::nullopt;
  std::size_t eol = text.find_first_of("\r\n", i);
  std::string_view c = text.substr(i, eol == std::string_view::npos ? std::string_view::npos : eol - i);
  // #\s*\{\s*"\$imagepolicy"\s*:\s*"([^"]+)"\s*\}\s*
  std::size_t k = 1;
  skip_space(c, k);
  if (!take(c, k, "{")) return std::nullopt;
  skip_space(c, k);
  if (!take(c, k, "\"$imagepolicy\"")) return std::nullopt;
  skip_space(c, k);
  if (!take(c, k, ":")) return std::nullopt;
  skip_space(c, k);
  if (!take(c, k, "\"")) return std::nullopt;
  std::size_t close = c.find('"', k);
  if (close == std::string_view::npos || close == k) return std::nullopt;
  std::string target(c.substr(k, close - k));
  k = close + 1;
  skip_space(c, k);
  if (!take(c, k, "}")) return std::nullopt;
  skip_space(c, k);
  if (k != c.size()) return std::nullopt;
  return target;
}

void check_marker_target(const std::string& target) {
  // [^:\s]+:[^:\s]+(:(tag|name|digest))?
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    std::size_t colon = target.find(':', start);
    parts.push_back(std::string_view(target).substr(start, colon == std::string::npos ? colon : colon - start));
    if (colon == std::string::npos || parts.size() > 3) break;
    start = colon + 1;
  }
  bool valid = (parts.size() == 2 || parts.size() == 3) && !parts[0].empty() && !parts[1].empty() &&
               (parts.size() == 2 || parts[2] == "tag" || parts[2] == "name" || parts[2] == "digest");
  for (std::size_t p = 0; valid && p < 2; ++p)
    for (char ch : parts[p])
      if (space(ch)) valid = false;
  if (!valid)
    throw InputError("bad marker '" + target + "': expected NS:POLICY or NS:POLICY:tag|name|digest");
}

}  // namespace hoist::yamledit
