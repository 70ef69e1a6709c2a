// See written_values.hpp.
#include "steps/gate/written_values.hpp"

namespace hoist::promote {
namespace {

bool word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

bool is_oci_tag(std::string_view text) {
  if (text.empty() || text.size() > 128 || !word(text.front())) return false;
  for (char c : text)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

bool has_control_chars(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string printable(std::string_view text) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text.substr(0, 80)) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
    else out += static_cast<char>(c);
  }
  if (text.size() > 80) out += "...";
  return out;
}

}  // namespace hoist::promote
