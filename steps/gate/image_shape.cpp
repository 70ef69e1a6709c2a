// Loading `image_at:` and `apps:` of hoist.yaml (see image_shape.hpp).
#include "steps/gate/image_shape.hpp"

#include <algorithm>
#include <cctype>

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/did_you_mean.hpp"
#include "runner/util/errors.hpp"
#include "steps/yamledit/image_ref.hpp"
#include "steps/yamledit/key_path.hpp"
#include "steps/yamledit/markers.hpp"

namespace hoist::promote {
namespace {

const std::vector<std::string> kShapeKeys = {"tag", "digest", "ref", "kustomize", "image", "marker"};
const std::vector<std::string> kAppKeys = {"file", "image_at"};

std::string replace_all(std::string text, std::string_view token, std::string_view with) {
  for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + with.size()))
    text.replace(at, token.size(), with);
  return text;
}

// The place of a character of a scalar written on one line (one more column after an opening quote).
Location inside(const YAML::Node& n, const std::string& file, std::size_t offset) {
  Location at = location_of(n, file);
  if (at.column > 0 && n.Scalar().find('\n') == std::string::npos)
    at.column += static_cast<int>(offset) + (is_quoted(n) ? 1 : 0);
  return at;
}

// `*` any run of characters, `?` one character.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

class ShapeLoader {
 public:
  ShapeLoader(const std::string& what, const std::string& file, Diagnostics& diags)
      : what_(what), file_(file), diags_(diags) {}

  std::optional<ImageShape> load(const YAML::Node& node) {
    if (!expect_map(node, what_, file_, diags_)) return std::nullopt;
    const std::size_t before = diags_.size();
    check_keys(node, kShapeKeys, what_, file_, diags_);
    ImageShape shape;
    read_list(node, "tag", shape.tags, &ShapeLoader::check_key_path);
    read_list(node, "digest", shape.digests, &ShapeLoader::check_key_path);
    read_list(node, "ref", shape.refs, &ShapeLoader::check_key_path);
    read_list(node, "kustomize", shape.kustomize, &ShapeLoader::check_repository);
    read_list(node, "image", shape.images, &ShapeLoader::check_repository);
    read_list(node, "marker", shape.markers, &ShapeLoader::check_marker);
    if (shape.tags.empty() && shape.refs.empty() && shape.kustomize.empty() && shape.images.empty() &&
        shape.markers.empty() && diags_.size() == before)
      diags_.add(location_of(node, file_), what_ + " names no place for the tag: give 'tag', 'ref', 'kustomize', "
                                                   "'image' or 'marker'");
    if (!shape.digests.empty() && shape.tags.empty() && diags_.size() == before)
      diags_.add(location_of(node["digest"], file_),
                 what_ + " has 'digest' keys but no 'tag' keys: a digest key goes with a Helm-style tag key");
    if (diags_.size() != before) return std::nullopt;
    return shape;
  }

 private:
  using Check = void (ShapeLoader::*)(const YAML::Node&, const std::string&);

  // A string or a list of strings, each checked.
  void read_list(const YAML::Node& map, const std::string& key, std::vector<std::string>& out, Check check) {
    const YAML::Node n = map[key];
    if (!n) return;
    std::vector<YAML::Node> items;
    if (n.IsSequence()) {
      for (const auto& item : n) items.push_back(item);
      if (items.empty()) diags_.add(location_of(n, file_), what_ + "." + key + " must not be an empty list");
    } else {
      items.push_back(n);
    }
    for (const auto& item : items) {
      auto s = read_string(item, what_ + "." + key, file_, diags_);
      if (!s) continue;
      if (s->empty()) {
        diags_.add(location_of(item, file_), what_ + "." + key + " must not be empty");
        continue;
      }
      (this->*check)(item, key);
      out.push_back(*s);
    }
  }

  void check_key_path(const YAML::Node& n, const std::string& key) { check_key_path_at(n, what_ + "." + key, file_, diags_); }

  void check_repository(const YAML::Node& n, const std::string& key) {
    const std::string s = replace_all(n.Scalar(), "{app}", "app");
    auto ref = yamledit::parse_image_ref(s);
    if (!ref || !ref->tag.empty() || !ref->digest.empty() || s.find_first_of(" \t\n") != std::string::npos)
      diags_.add(location_of(n, file_), what_ + "." + key + " must be an image repository without tag or digest "
                                                           "(like registry.example.com/shop/{app}), got '" +
                                            n.Scalar() + "'");
  }

  void check_marker(const YAML::Node& n, const std::string& key) {
    const std::string s = n.Scalar();
    const auto colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size() || s.find(':', colon + 1) != std::string::npos) {
      diags_.add(location_of(n, file_), what_ + "." + key + " must be a Flux image policy 'NAMESPACE:POLICY' (the "
                                                           "file's markers say which part each value is), got '" +
                                            s + "'");
      return;
    }
    try {
      yamledit::check_marker_target(s);
    } catch (const InputError& e) {
      diags_.add(location_of(n, file_), what_ + "." + key + ": " + e.what());
    }
  }

  const std::string& what_;
  const std::string& file_;
  Diagnostics& diags_;
};

void add_list(std::string& out, const char* name, const std::vector<std::string>& items) {
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + std::string(name) + " " + i;
}

}  // namespace

bool check_key_path_at(const YAML::Node& n, const std::string& what, const std::string& file, Diagnostics& diags) {
  try {
    yamledit::parse_key_path(n.Scalar());
    return true;
  } catch (const InputError& e) {
    // "bad key path 'P': MESSAGE at column N": point at that column in hoist.yaml.
    std::string message = e.what();
    std::size_t column = 1;
    if (auto at = message.rfind(" at column "); at != std::string::npos) {
      column = std::stoul(message.substr(at + 11));
      message.erase(at);
    }
    diags.add(inside(n, file, column - 1), what + ": " + message);
    return false;
  }
}

ImageShape ImageShape::for_app(std::string_view app) const {
  ImageShape out = *this;
  for (auto* list : {&out.tags, &out.digests, &out.refs, &out.kustomize, &out.images, &out.markers})
    for (auto& s : *list) s = replace_all(s, "{app}", app);
  return out;
}

std::string ImageShape::describe() const {
  std::string out;
  add_list(out, "tag", tags);
  add_list(out, "digest", digests);
  add_list(out, "ref", refs);
  add_list(out, "kustomize", kustomize);
  add_list(out, "image", images);
  add_list(out, "marker", markers);
  return out;
}

bool AppRule::is_glob() const { return pattern.find_first_of("*?") != std::string::npos; }

bool AppRule::matches(std::string_view app) const { return is_glob() ? glob_match(pattern, app) : pattern == app; }

std::optional<ImageShape> load_image_shape(const YAML::Node& node, const std::string& what, const std::string& file,
                                           Diagnostics& diags) {
  return ShapeLoader(what, file, diags).load(node);
}

std::vector<AppRule> load_app_rules(const YAML::Node& node, const std::string& file, Diagnostics& diags) {
  std::vector<AppRule> rules;
  if (!expect_map(node, "apps", file, diags)) return rules;
  check_duplicate_keys(node, "apps", file, diags);
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    AppRule rule;
    rule.pattern = it->first.Scalar();
    rule.location = location_of(it->first, file);
    bool ok = !rule.pattern.empty() && rule.pattern.front() != '.' && rule.pattern.front() != '-';
    for (char c : rule.pattern)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_.*?").find(c) != std::string_view::npos);
    if (!ok)
      diags.add(rule.location, "'" + rule.pattern + "' is not an app name or glob (letters, digits, '-', '_', '.', "
                                                    "and '*' or '?')");
    const std::string what = "apps." + rule.pattern;
    const YAML::Node body = it->second;
    if (!expect_map(body, what, file, diags)) continue;
    check_keys(body, kAppKeys, what, file, diags);
    if (const YAML::Node f = body["file"]; f) {
      if (f.IsMap()) {
        check_duplicate_keys(f, what + ".file", file, diags);
        for (auto e = f.begin(); e != f.end(); ++e) {
          if (!e->first.IsScalar()) continue;
          auto s = read_string(e->second, what + ".file." + e->first.Scalar(), file, diags);
          if (s && s->empty()) diags.add(location_of(e->second, file), what + ".file." + e->first.Scalar() + " must not be empty");
          else if (s) rule.files[e->first.Scalar()] = *s;
          rule.file_envs[e->first.Scalar()] = location_of(e->first, file);
        }
      } else if (auto s = read_string(f, what + ".file", file, diags)) {
        if (s->empty()) diags.add(location_of(f, file), what + ".file must not be empty");
        rule.file = *s;
      }
    }
    if (const YAML::Node s = body["image_at"]; s) rule.image_at = load_image_shape(s, what + ".image_at", file, diags);
    rules.push_back(std::move(rule));
  }
  return rules;
}

void check_app_files(const std::vector<AppRule>& rules, const std::vector<std::string>& environments,
                     Diagnostics& diags) {
  for (const auto& rule : rules)
    for (const auto& [env, at] : rule.file_envs)
      if (std::find(environments.begin(), environments.end(), env) == environments.end())
        diags.add(at, "apps." + rule.pattern + ".file names unknown environment '" + env + "'" +
                          did_you_mean_suffix(env, environments));
}

const AppRule* find_app_rule(const std::vector<AppRule>& rules, std::string_view app) {
  for (const auto& r : rules)
    if (!r.is_glob() && r.matches(app)) return &r;
  for (const auto& r : rules)
    if (r.is_glob() && r.matches(app)) return &r;
  return nullptr;
}

}  // namespace hoist::promote
