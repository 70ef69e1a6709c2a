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

PlainType plain_type(std::string_view value) {
  static const std::regex null_re("~|null|Null|NULL");
  // booleans, YAML 1.1 (y/n, yes/no, on/off) and 1.2
  static const std::regex bool_re("[yY]|[nN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  // integers: decimal, octal (0123, 0o17), hex, binary, with _ separators, and 1.1 sexagesimal (1:30)
  static const std::regex int_re(
      "[-+]?[0-9][0-9_]*|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+");
  // floats: 1.5, .5, 1., 1e3, 1.5E-3, sexagesimal with a fraction, .inf, .nan
  static const std::regex float_re(
      "[-+]?([0-9][0-9_]*)?\\.?[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  // timestamps (1.1): 2024-01-31, 2024-01-31T10:00:00Z, ...
  static const std::regex time_re("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");
  // the merge key and the 1.1 value key are not strings either
  static const std::regex other_re("<<|=");
  if (value.empty()) return PlainType::null;
  // The float pattern also matches "." and "+"; those are strings.
  if (value == "." || value == "+" || value == "-" || value == "_") return PlainType::string;
  auto is = [&](const std::regex& re) { return std::regex_match(value.begin(), value.end(), re); };
  if (is(null_re)) return PlainType::null;
  if (is(bool_re)) return PlainType::boolean;
  if (is(int_re)) return PlainType::integer;
  if (is(float_re)) return PlainType::floating;
  if (is(time_re)) return PlainType::timestamp;
  if (is(other_re)) return PlainType::other;
  return PlainType::string;
}

bool plain_resolves_to_non_string(std::string_view value) { return plain_type(value) != PlainType::string; }

bool plain_syntax_is_safe(std::string_view v, bool flow) {
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
  return true;
}

bool plain_is_safe(std::string_view v, bool flow) {
  return plain_syntax_is_safe(v, flow) && !plain_resolves_to_non_string(v);
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

std::string render_scalar(std::string_view value, ScalarStyle style, bool flow, std::optional<std::string_view> replaces) {
  switch (style) {
    case ScalarStyle::single_quoted: return has_control(value) ? double_quoted(value) : single_quoted(value);
    case ScalarStyle::double_quoted: return double_quoted(value);
    default: {
      if (!plain_syntax_is_safe(value, flow)) return double_quoted(value);
      PlainType type = plain_type(value);
      bool keeps_type = type == PlainType::string || (replaces && !replaces->empty() && plain_type(*replaces) == type);
      return keeps_type ? std::string(value) : double_quoted(value);
    }
  }
}

}  // namespace hoist::yamledit
