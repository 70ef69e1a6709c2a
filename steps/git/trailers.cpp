// See trailers.hpp.

#include "steps/git/trailers.hpp"

#include <sstream>

#include "runner/util/errors.hpp"

namespace hoist {
namespace {

// ^[A-Za-z0-9][A-Za-z0-9-]*: .*$   (`.` is any char but \n and \r), by hand: std::regex recurses once per
// character and overflows the stack on a long line.
bool is_trailer_line(const std::string& line) {
  auto alnum = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (line.empty() || !alnum(line[0])) return false;
  std::size_t i = 1;
  while (i < line.size() && (alnum(line[i]) || line[i] == '-')) ++i;
  if (line.compare(i, 2, ": ") != 0) return false;
  return line.find_first_of("\r\n", i + 2) == std::string::npos;
}

// True when the last paragraph of TEXT (no trailing newlines) is a trailer block and not the subject line.
bool ends_with_trailer_block(const std::string& text) {
  size_t start = text.rfind("\n\n");
  if (start == std::string::npos) return false;  // a single paragraph is the subject, not trailers
  std::istringstream lines(text.substr(start + 2));
  bool any = false;
  for (std::string line; std::getline(lines, line);) {
    if (!is_trailer_line(line)) return false;
    any = true;
  }
  return any;
}

}  // namespace

std::string append_trailers(const std::string& message, const Trailers& trailers) {
  std::string text = message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
  std::string block;
  for (const auto& [key, value] : trailers) {
    if (key.empty() || key.find_first_of(": \t\n") != std::string::npos)
      throw InputError("invalid commit trailer key '" + key + "'");
    if (value.find('\n') != std::string::npos) throw InputError("commit trailer " + key + " must be one line");
    if (value.empty()) continue;
    block += key + ": " + value + "\n";
  }
  if (block.empty()) return text + "\n";
  if (text.empty()) return block;
  return text + (ends_with_trailer_block(text) ? "\n" : "\n\n") + block;
}

Trailers trailers_for_file(const Trailers& all, const std::string& path) {
  Trailers out;
  bool in_groups = false, mine = false;
  for (const auto& [key, value] : all) {
    if (key == "Hoist-File") in_groups = true, mine = value == path;
    if (!in_groups || mine) out.emplace_back(key, value);
  }
  return out;
}

}  // namespace hoist
