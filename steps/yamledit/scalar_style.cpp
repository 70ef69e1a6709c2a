// Rendering a value as a YAML scalar of a given style; see scalar_style.hpp.

#include "steps/yamledit/scalar_style.hpp"

#include <cctype>
#include <initializer_list>

namespace hoist::yamledit {

namespace {

bool has_control(std::string_view v) {
  for (unsigned char c : v)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

// The YAML 1.1/1.2 plain-scalar resolution patterns, matched by hand: std::regex recurses once per character and
// overflows the stack on long values. Each matcher is exactly the std::regex (ECMAScript) pattern in its comment;
// tests/steps/yamledit/yamledit_quoting_test.cpp checks them against those patterns.
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool digit_(char c) { return digit(c) || c == '_'; }

// The end of the run of chars from I on that satisfy PRED.
template <class Pred>
std::size_t span(std::string_view v, std::size_t i, Pred pred) {
  while (i < v.size() && pred(v[i])) ++i;
  return i;
}

std::size_t after_sign(std::string_view v) { return !v.empty() && (v[0] == '-' || v[0] == '+') ? 1 : 0; }

// `[0-9][0-9_]*` from I: its end, or npos.
std::size_t decimal(std::string_view v, std::size_t i) {
  return i < v.size() && digit(v[i]) ? span(v, i + 1, digit_) : std::string_view::npos;
}

// `(:[0-5]?[0-9])+` from I, as far as it goes: its end, or npos when there is not one group. A group is deterministic:
// two digits when the first is 0-5 and a second follows, else one; what follows it must not be a digit.
std::size_t sexagesimal(std::string_view v, std::size_t i) {
  std::size_t groups = 0;
  while (i + 1 < v.size() && v[i] == ':' && digit(v[i + 1])) {
    std::size_t j = i + 2;
    if (v[i + 1] <= '5' && j < v.size() && digit(v[j])) ++j;
    if (j < v.size() && digit(v[j])) return std::string_view::npos;
    i = j;
    ++groups;
  }
  return groups ? i : std::string_view::npos;
}

// [-+]?[0-9][0-9_]*|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+
bool is_int(std::string_view v) {
  std::size_t i = after_sign(v);
  auto radix = [&](char letter, auto pred) {
    return v.size() > i + 2 && v[i] == '0' && v[i + 1] == letter && span(v, i + 2, pred) == v.size();
  };
  if (radix('o', [](char c) { return (c >= '0' && c <= '7') || c == '_'; })) return true;
  if (radix('x', [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '_'; })) return true;
  if (radix('b', [](char c) { return c == '0' || c == '1' || c == '_'; })) return true;
  std::size_t d = decimal(v, i);
  if (d == std::string_view::npos) return false;
  return d == v.size() || sexagesimal(v, d) == v.size();
}

// [-+]?([0-9][0-9_]*)?\.?[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
// |[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)
bool is_float(std::string_view v) {
  std::size_t i = after_sign(v);
  std::string_view rest = v.substr(i);
  if (rest == ".inf" || rest == ".Inf" || rest == ".INF") return true;
  if (v == ".nan" || v == ".NaN" || v == ".NAN") return true;
  // sexagesimal with a fraction
  std::size_t d = decimal(v, i);
  if (d != std::string_view::npos) {
    std::size_t s = sexagesimal(v, d);
    if (s != std::string_view::npos && s < v.size() && v[s] == '.' && span(v, s + 1, digit_) == v.size()) return true;
  }
  // the first alternative: a mantissa over [0-9_.] (a '.' only after nothing or after [0-9][0-9_]*), then an exponent
  std::size_t m = span(v, i, digit_);
  if (m < v.size() && v[m] == '.') {
    if (m != i && !digit(v[i])) return false;  // before the '.': empty or [0-9][0-9_]*
    m = span(v, m + 1, digit_);
  }
  if (m == v.size()) return true;
  if (v[m] != 'e' && v[m] != 'E') return false;
  std::size_t e = m + 1;
  if (e < v.size() && (v[e] == '-' || v[e] == '+')) ++e;
  return e < v.size() && digit(v[e]) && span(v, e, digit) == v.size();
}

// [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?   (ECMAScript `.` is any char but \n and \r)
bool is_timestamp(std::string_view v) {
  if (v.size() < 8 || span(v, 0, digit) < 4 || v[4] != '-') return false;
  std::size_t i = 5;
  for (int part = 0; part < 2; ++part) {
    std::size_t end = span(v, i, digit);
    if (end == i || end - i > 2) return false;
    i = end;
    if (part == 0) {
      if (i >= v.size() || v[i] != '-') return false;
      ++i;
    }
  }
  if (i == v.size()) return true;
  if (v[i] != 'T' && v[i] != 't' && v[i] != ' ') return false;
  return v.find_first_of("\r\n", i + 1) == std::string_view::npos;
}

bool is_one_of(std::string_view v, std::initializer_list<std::string_view> words) {
  for (auto w : words)
    if (v == w) return true;
  return false;
}

}  // namespace

PlainType plain_type(std::string_view value) {
  if (value.empty()) return PlainType::null;
  // The float pattern also matches "." and "+"; those are strings.
  if (value == "." || value == "+" || value == "-" || value == "_") return PlainType::string;
  if (is_one_of(value, {"~", "null", "Null", "NULL"})) return PlainType::null;
  // booleans, YAML 1.1 (y/n, yes/no, on/off) and 1.2
  if (is_one_of(value, {"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false",
                        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"}))
    return PlainType::boolean;
  // integers: decimal, octal (0123, 0o17), hex, binary, with _ separators, and 1.1 sexagesimal (1:30)
  if (is_int(value)) return PlainType::integer;
  // floats: 1.5, .5, 1., 1e3, 1.5E-3, sexagesimal with a fraction, .inf, .nan
  if (is_float(value)) return PlainType::floating;
  // timestamps (1.1): 2024-01-31, 2024-01-31T10:00:00Z, ...
  if (is_timestamp(value)) return PlainType::timestamp;
  // the merge key and the 1.1 value key are not strings either
  if (value == "<<" || value == "=") return PlainType::other;
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
  if (flow && v.front() == '?') return false;  // `{tag: ?x}`: yaml-cpp reads a flow key indicator there
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
