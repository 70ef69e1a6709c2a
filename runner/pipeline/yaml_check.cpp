#include "runner/pipeline/yaml_check.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <yaml-cpp/depthguard.h>

#include "runner/util/did_you_mean.hpp"

namespace hoist {

std::string yaml_error_message(const YAML::Exception& e, std::string_view text) {
  if (const auto* deep = dynamic_cast<const YAML::DeepRecursion*>(&e))
    return "nested more than " + std::to_string(deep->depth()) + " levels deep";
  // A tab among the leading blanks of the line of the error, or of the line before it (where yaml-cpp often
  // notices the problem one line late).
  std::size_t line_start = 0;
  std::vector<std::string_view> lines;
  for (int line = 0; line_start <= text.size() && line <= e.mark.line; ++line) {
    std::size_t end = text.find('\n', line_start);
    if (end == std::string_view::npos) end = text.size();
    if (line >= e.mark.line - 1) lines.push_back(text.substr(line_start, end - line_start));
    line_start = end + 1;
  }
  for (std::string_view l : lines) {
    const std::size_t content = l.find_first_not_of(" \t");
    if (l.substr(0, content).find('\t') != std::string_view::npos)
      return e.msg + " (a tab indents a line; YAML indents with spaces only)";
  }
  return e.msg;
}

Location location_of(const YAML::Node& node, const std::string& file) {
  YAML::Mark m = node.Mark();
  if (m.is_null()) return Location{file, 0, 0};
  return Location{file, m.line + 1, m.column + 1};
}

std::string yaml_type_name(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a sequence";
    case YAML::NodeType::Scalar: return "a string";
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "nothing";
}

bool is_quoted(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "!"; }

void check_duplicate_keys(const YAML::Node& map, const std::string& what, const std::string& file,
                          Diagnostics& diags) {
  if (!map.IsMap()) return;
  std::map<std::string, int> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: `it->` returns a temporary proxy, a reference would dangle
    if (!key.IsScalar()) {
      diags.add(location_of(key, file), what + " keys must be strings, got " + yaml_type_name(key));
      continue;
    }
    auto [pos, inserted] = seen.emplace(key.Scalar(), key.Mark().line + 1);
    if (!inserted) {
      diags.add(location_of(key, file), "duplicate key '" + key.Scalar() + "' in " + what + " (first at line " +
                                            std::to_string(pos->second) + ")");
    }
  }
}

void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what,
                const std::string& file, Diagnostics& diags) {
  if (!map.IsMap()) return;
  check_duplicate_keys(map, what, file, diags);
  std::set<std::string> reported;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: `it->` returns a temporary proxy, a reference would dangle
    if (!key.IsScalar()) continue;
    const std::string& name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end() && reported.insert(name).second)
      diags.add(location_of(key, file), "unknown key '" + name + "' in " + what + did_you_mean_suffix(name, allowed));
  }
}

std::optional<std::string> read_string(const YAML::Node& node, const std::string& key, const std::string& file,
                                       Diagnostics& diags) {
  if (node.IsScalar()) return node.Scalar();
  diags.add(location_of(node, file), "'" + key + "' must be a string, got " + yaml_type_name(node));
  return std::nullopt;
}

std::optional<long long> read_integer(const YAML::Node& node, const std::string& key, const std::string& file,
                                      Diagnostics& diags) {
  if (node.IsScalar() && !is_quoted(node)) {
    const std::string& s = node.Scalar();
    size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    bool digits = i < s.size() && s.size() - i <= 12;
    for (size_t j = i; j < s.size() && digits; ++j) digits = std::isdigit(static_cast<unsigned char>(s[j]));
    if (digits) return std::stoll(s);
  }
  std::string got = node.IsScalar() ? "'" + node.Scalar() + "'" : yaml_type_name(node);
  diags.add(location_of(node, file), "'" + key + "' must be an integer, got " + got);
  return std::nullopt;
}

std::optional<bool> read_bool(const YAML::Node& node, const std::string& key, const std::string& file,
                              Diagnostics& diags) {
  if (node.IsScalar() && !is_quoted(node)) {
    const std::string& s = node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  std::string got = node.IsScalar() ? "'" + node.Scalar() + "'" : yaml_type_name(node);
  diags.add(location_of(node, file), "'" + key + "' must be true or false, got " + got);
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, const std::string& key,
                                                         const std::string& file, Diagnostics& diags,
                                                         bool allow_single) {
  if (allow_single && node.IsScalar()) return std::vector<std::string>{node.Scalar()};
  if (!node.IsSequence()) {
    diags.add(location_of(node, file), "'" + key + "' must be a list of strings, got " + yaml_type_name(node));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : node) {
    if (item.IsScalar()) {
      out.push_back(item.Scalar());
    } else {
      diags.add(location_of(item, file), "'" + key + "' entries must be strings, got " + yaml_type_name(item));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

namespace {

bool spend_expanded_size(const YAML::Node& node, std::size_t& left, std::size_t depth) {
  if (left == 0 || depth > kMaxExpandedDepth) return false;
  --left;
  if (node.IsSequence()) {
    for (const auto& item : node)
      if (!spend_expanded_size(item, left, depth + 1)) return false;
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it)
      if (!spend_expanded_size(it->first, left, depth + 1) || !spend_expanded_size(it->second, left, depth + 1))
        return false;
  }
  return true;
}

}  // namespace

bool spend_expanded_size(const YAML::Node& node, std::size_t& left) { return spend_expanded_size(node, left, 0); }

bool expect_map(const YAML::Node& node, const std::string& key, const std::string& file, Diagnostics& diags) {
  if (node.IsMap()) return true;
  diags.add(location_of(node, file), "'" + key + "' must be a mapping, got " + yaml_type_name(node));
  return false;
}

}  // namespace hoist
