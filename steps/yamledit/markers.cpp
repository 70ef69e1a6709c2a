// Reading Flux setter markers; see markers.hpp.

#include "steps/yamledit/markers.hpp"

#include <regex>

#include "runner/errors.hpp"

namespace hoist::yamledit {

std::optional<std::string> marker_after(std::string_view text, std::size_t end) {
  std::size_t i = end;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != '#') return std::nullopt;
  std::size_t eol = text.find_first_of("\r\n", i);
  std::string comment(text.substr(i, eol == std::string_view::npos ? std::string_view::npos : eol - i));
  static const std::regex marker(R"re(#\s*\{\s*"\$imagepolicy"\s*:\s*"([^"]+)"\s*\}\s*)re");
  std::smatch m;
  if (!std::regex_match(comment, m, marker)) return std::nullopt;
  return m[1].str();
}

void check_marker_target(const std::string& target) {
  static const std::regex valid(R"([^:\s]+:[^:\s]+(:(tag|name|digest))?)");
  if (!std::regex_match(target, valid))
    throw InputError("bad marker '" + target + "': expected NS:POLICY or NS:POLICY:tag|name|digest");
}

}  // namespace hoist::yamledit
