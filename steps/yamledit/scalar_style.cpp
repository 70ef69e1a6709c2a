// Rendering a value as a YAML scalar of a given style; see scalar_style.hpp.

#include "steps/yamledit/scalar_style.hpp"

#include <regex>

namespace hoist::yamledit {

namespace {

bool has_control(std::string_view v) {
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

bool plain_resolves_to_non_string(std::string_view value) {
  static const std::regex non_string(
      // null
      "~|null|Null|NULL"
      // booleans, YAML 1.1 (y/n, yes/no, on/off) and 1.2
      "|[yY]|[nN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
      // integers: decimal, octal (0123, 0o17), hex, binary, with _ separators, and 1.1 sexagesimal (1:30)
      "|[-+]?[0-9][0-9_]*"
      "|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"
      // floats: 1.5, .5, 1., 1e3, 1.5E-3, .inf, .nan
      "|[-+]?([0-9][0-9_]*)?\\.?[0-9_]*([eE][-+]?[0-9]+)?"
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      // timestamps (1.1): 2024-01-31, 2024-01-31T10:00:00Z, ...
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?"
      // merge key and the 1.1 value key
      "|<<|=");
  if (value.empty()) return true;
  // The float alternative also matches "." and "+"; those are strings.
  if (value == "." || value == "+" || value == "-" || value == "_") return false;
  return std::regex_match(value.begin(), value.end(), non_string);
}

bool plain_is_safe(std::string_view v, bool flow) {
  if (v.empty() || has_control(v)) return false;
  if (v.front() == ' ' || v.back() == ' ') return false;
  static const std::string_view always_indicators = "#&*!|>'\"%@`,[]{}";
  if (always_indicators.find(v.front()) != std::string_view::npos) return false;
  if ((v.front() == '-' || v.front() == '?' || v.front() == ':') && (v.size() == 1 || v[1] == ' ')) return false;
  if (v.find(": ") != std::string_view::npos || v.find(" #") != std::string_view::npos || v.back() == ':')
    return false;
  if (v.starts_with("---") || v.starts_with("...")) return false;
  if (flow && v.find_first_of(",[]{}") != std::string_view::npos) return false;
  if (flow && v.find(':') != std::string_view::npos) return false;  // `a:b` is fine in block, ambiguous in flow
  // Non-ASCII line and space characters: keep them visible and unambiguous.
  if (v.find("\xc2\x85") != std::string_view::npos || v.find("\xe2\x80\xa8") != std::string_view::npos ||
      v.find("\xe2\x80\xa9") != std::string_view::npos || v.find("\xef\xbb\xbf") != std::string_view::npos)
    return false;
  return !plain_resolves_to_non_string(v);
}

std::string double_quoted(std::string_view value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\0': out += "\\0"; break;
      case '\x1b': out += "\\e"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string single_quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string render_scalar(std::string_view value, ScalarStyle style, bool flow) {
  switch (style) {
    case ScalarStyle::single_quoted: return has_control(value) ? double_quoted(value) : single_quoted(value);
    case ScalarStyle::double_quoted: return double_quoted(value);
    default: return plain_is_safe(value, flow) ? std::string(value) : double_quoted(value);
  }
}

}  // namespace hoist::yamledit
