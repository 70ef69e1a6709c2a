// Placing created keys; see insert_keys.hpp.

#include "steps/yamledit/insert_keys.hpp"

#include <algorithm>
#include <climits>

#include "steps/yamledit/scalar_style.hpp"

namespace hoist::yamledit {

namespace {

void find_step(const YAML::Node& node, int& best, int depth) {
  if (depth > 200) return;
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node v = it->second;  // a copy: iterator proxies are temporaries
      bool block = v.Style() == YAML::EmitterStyle::Block && node.Style() == YAML::EmitterStyle::Block;
      if (v.IsMap() && block && v.size() > 0) {
        int diff = v.begin()->first.Mark().column - it->first.Mark().column;
        if (diff > 0 && diff < best) best = diff;
      }
      find_step(v, best, depth + 1);
    }
  } else if (node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it) find_step(*it, best, depth + 1);
  }
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The byte after the quoted scalar starting at OPEN (a ' or a "); npos when it does not close.
std::size_t after_quoted(std::string_view text, std::size_t open) {
  const char q = text[open];
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (q == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == q) {
      if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is a quote inside single quotes
        continue;
      }
      return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<Insertion> plan_flow_insertion(std::string_view text, std::size_t map_offset, const std::string& key,
                                             const std::string& value) {
  const std::size_t open = text.find('{', map_offset);
  if (open == std::string_view::npos) return std::nullopt;
  std::size_t last = open;  // the last byte of content before the closing brace
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (blank(c)) continue;
    if (c == '#' && blank(text[i - 1])) {  // a comment runs to the end of its line
      i = text.find('\n', i);
      if (i == std::string_view::npos) return std::nullopt;
      continue;
    }
    // A quote starts a quoted scalar only where a scalar starts (inside a plain one it is just a character).
    if ((c == '"' || c == '\'') && std::string_view("{[,:").find(text[last]) != std::string_view::npos) {
      const std::size_t end = after_quoted(text, i);
      if (end == std::string_view::npos) return std::nullopt;
      i = end - 1;
      last = i;
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) break;
    last = i;
  }
  if (depth != 0) return std::nullopt;
  const std::string entry = (plain_is_safe(key, true) ? key : double_quoted(key)) + ": " + value;
  Insertion ins;
  ins.offset = last + 1;
  ins.bytes = text[last] == '{' ? entry : (text[last] == ',' ? " " : ", ") + entry;
  ins.value_line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(last), '\n'));
  return ins;
}

int indent_step(const Documents& docs) {
  int best = INT_MAX;
  for (const YAML::Node& d : docs.docs) find_step(d, best, 0);
  return best == INT_MAX ? 2 : best;
}

Insertion plan_insertion(std::string_view text, const YAML::Node& map, const std::vector<std::string>& keys,
                         const std::string& value, int step) {
  int key_col = map.begin()->first.Mark().column;
  int last_key_line = 0;
  for (auto it = map.begin(); it != map.end(); ++it) last_key_line = it->first.Mark().line;

  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
  auto line_text = [&](std::size_t j) {
    std::size_t b = starts[j];
    std::size_t e = j + 1 < starts.size() ? starts[j + 1] : text.size();
    std::string_view s = text.substr(b, e - b);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  };
  std::size_t last = static_cast<std::size_t>(last_key_line);
  for (std::size_t j = last + 1; j < starts.size(); ++j) {
    std::string_view s = line_text(j);
    std::size_t c = s.find_first_not_of(" \t");
    if (c == std::string_view::npos || s[c] == '#') continue;
    if (c == 0 && (s.starts_with("---") || s.starts_with("..."))) break;
    bool dash_item = s[c] == '-' && (c + 1 == s.size() || s[c + 1] == ' ');
    if (static_cast<int>(c) > key_col || (static_cast<int>(c) == key_col && dash_item)) {
      last = j;
      continue;
    }
    break;
  }
  std::string eol = text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
  Insertion ins;
  bool at_end_without_newline = last + 1 >= starts.size() && !text.empty() && text.back() != '\n';
  ins.offset = last + 1 < starts.size() ? starts[last + 1] : text.size();
  if (at_end_without_newline) ins.bytes += eol;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    ins.bytes += std::string(static_cast<std::size_t>(key_col) + k * static_cast<std::size_t>(step), ' ');
    ins.bytes += plain_is_safe(keys[k], false) ? keys[k] : double_quoted(keys[k]);
    ins.bytes += ":";
    if (k + 1 == keys.size()) ins.bytes += " " + value;
    if (k + 1 < keys.size() || !at_end_without_newline) ins.bytes += eol;
  }
  ins.value_line = static_cast<int>(last) + 2 + static_cast<int>(keys.size()) - 1;
  return ins;
}

}  // namespace hoist::yamledit
