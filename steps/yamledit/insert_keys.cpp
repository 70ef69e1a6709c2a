// Placing created keys; see insert_keys.hpp.

#include "steps/yamledit/insert_keys.hpp"

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

}  // namespace

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
