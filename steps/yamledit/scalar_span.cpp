// Finding where a scalar ends in the original text.
//
// yaml-cpp records only the start of each node (Mark: byte offset, line, column), and for a node with properties
// that start is the anchor or tag: in `tag: &v "1.0"  # pinned` the mark of the value points at `&v`. To patch the
// bytes of the value and nothing else we scan the original text from that mark:
//
//   1. Skip node properties: while the byte is `&` (anchor) or `!` (tag), skip to the next blank, then skip blanks.
//   2. The first byte now says the style: `'` single-quoted, `"` double-quoted, `|` literal, `>` folded, anything
//      else plain.
//   3. Quoted scalars end at the closing quote: in single quotes `''` is an escaped quote, not the end; in double
//      quotes a backslash escapes the next byte (so `"a\"b"` ends after `b"`).
//   4. Plain scalars end at the end of the line, or before ` #` (a comment needs a blank before it), or before
//      `: ` (a key), and in flow collections (`{repository: x, tag: 1.0}`) also before `,` `[` `]` `{` `}`.
//      Trailing blanks are not part of the scalar: `tag: 1.0   # pinned` → span `1.0`.
//   5. Refused rather than guessed: block scalars (`|`, `>`: their end depends on indentation and chomping, and an
//      image tag never needs one) and scalars spanning several lines (quoted, or plain continued on the next line).
//      The editor detects the second kind by decoding the one-line span and comparing it with yaml-cpp's value:
//      a plain scalar continued on the next line decodes to less than yaml-cpp read.
//
// Example: `  tag: &t '1.0' # x` with the mark at `&t` → skip `&t `, style single-quoted, span `'1.0'`.

#include "steps/yamledit/scalar_span.hpp"

namespace hoist::yamledit {

namespace {

bool blank(char c) { return c == ' ' || c == '\t'; }
bool line_break(char c) { return c == '\n' || c == '\r'; }
bool flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

ScalarSpan find_scalar_span(std::string_view text, std::size_t pos, bool flow) {
  ScalarSpan span;
  // 1. properties
  while (pos < text.size() && (text[pos] == '&' || text[pos] == '!')) {
    while (pos < text.size() && !blank(text[pos]) && !line_break(text[pos])) ++pos;
    while (pos < text.size() && (blank(text[pos]) || line_break(text[pos]))) ++pos;
  }
  span.begin = span.end = pos;
  if (pos >= text.size()) {
    span.problem = "an empty value";
    return span;
  }
  char first = text[pos];
  // 2-3. quoted
  if (first == '\'' || first == '"') {
    span.style = first == '\'' ? ScalarStyle::single_quoted : ScalarStyle::double_quoted;
    std::size_t i = pos + 1;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (first == '"' && c == '\\') {
        ++i;
        continue;
      }
      if (c == first) {
        if (first == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
          continue;
        }
        break;
      }
    }
    if (i >= text.size()) {
      span.problem = "an unterminated quoted scalar";
      return span;
    }
    span.end = i + 1;
    for (std::size_t j = span.begin; j < span.end; ++j)
      if (line_break(text[j])) span.problem = "a quoted scalar spanning several lines";
    return span;
  }
  if (first == '|' || first == '>') {
    span.style = first == '|' ? ScalarStyle::literal : ScalarStyle::folded;
    span.problem = std::string("a block scalar (") + first + ")";
    return span;
  }
  // 4. plain
  span.style = ScalarStyle::plain;
  std::size_t i = pos;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (line_break(c)) break;
    if (c == '#' && i > pos && blank(text[i - 1])) break;
    if (c == ':' && (i + 1 >= text.size() || blank(text[i + 1]) || line_break(text[i + 1]) ||
                     (flow && flow_indicator(text[i + 1]))))
      break;
    if (flow && flow_indicator(c)) break;
  }
  while (i > pos && blank(text[i - 1])) --i;
  span.end = i;
  return span;
}

std::string decode_scalar(std::string_view text, const ScalarSpan& span) {
  std::string_view raw = text.substr(span.begin, span.end - span.begin);
  std::string out;
  switch (span.style) {
    case ScalarStyle::plain:
    case ScalarStyle::literal:
    case ScalarStyle::folded: return std::string(raw);
    case ScalarStyle::single_quoted:
      for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
        out += raw[i];
        if (raw[i] == '\'') ++i;
      }
      return out;
    case ScalarStyle::double_quoted:
      for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
        char c = raw[i];
        if (c != '\\') {
          out += c;
          continue;
        }
        char e = raw[++i];
        auto hex = [&](int n) {
          unsigned long cp = std::stoul(std::string(raw.substr(i + 1, n)), nullptr, 16);
          i += n;
          append_utf8(out, cp);
        };
        switch (e) {
          case '0': out += '\0'; break;
          case 'a': out += '\a'; break;
          case 'b': out += '\b'; break;
          case 't': case '\t': out += '\t'; break;
          case 'n': out += '\n'; break;
          case 'v': out += '\v'; break;
          case 'f': out += '\f'; break;
          case 'r': out += '\r'; break;
          case 'e': out += '\x1b'; break;
          case ' ': out += ' '; break;
          case 'N': append_utf8(out, 0x85); break;
          case '_': append_utf8(out, 0xA0); break;
          case 'L': append_utf8(out, 0x2028); break;
          case 'P': append_utf8(out, 0x2029); break;
          case 'x': hex(2); break;
          case 'u': hex(4); break;
          case 'U': hex(8); break;
          default: out += e; break;  // \" \\ \/
        }
      }
      return out;
  }
  return out;
}

}  // namespace hoist::yamledit
