// See object_diff.hpp.

#include "steps/render/object_diff.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "steps/git/unified_diff.hpp"

namespace hoist::rendering {
namespace {

constexpr const char* kNone = "(none)";

// A field or list item present on one side only is compared with nullptr.
const YAML::Node* present(const YAML::Node& node) { return node.IsDefined() ? &node : nullptr; }

std::string show(const YAML::Node* maybe) {
  if (!maybe) return kNone;
  const YAML::Node& node = *maybe;
  if (node.IsScalar()) return node.Scalar();
  if (node.IsNull()) return "null";
  YAML::Emitter e;
  e << YAML::Flow << node;
  return e.c_str();
}

bool plain_key(const std::string& key) {
  if (key.empty()) return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

std::string child_path(const std::string& parent, const std::string& key) {
  if (plain_key(key)) return parent.empty() ? key : parent + "." + key;
  return parent + "[\"" + key + "\"]";
}

// The item's name when every item of both lists is a map with a distinct scalar `name`; else nothing.
bool keyed_by_name(const YAML::Node& a, const YAML::Node& b) {
  for (const YAML::Node* list : {&a, &b}) {
    std::set<std::string> names;
    for (const auto& item : *list) {
      if (!item.IsMap() || !item["name"] || !item["name"].IsScalar()) return false;
      if (!names.insert(item["name"].Scalar()).second) return false;
    }
  }
  return a.size() + b.size() > 0;
}

void compare(const YAML::Node* a, const YAML::Node* b, const std::string& path, std::vector<FieldChange>& out);

void compare_maps(const YAML::Node& a, const YAML::Node& b, const std::string& path, std::vector<FieldChange>& out) {
  std::vector<std::string> keys;  // a's order, then keys only b has
  std::set<std::string> seen;
  for (const YAML::Node* m : {&a, &b})
    for (const auto& kv : *m) {
      const std::string k = kv.first.Scalar();
      if (seen.insert(k).second) keys.push_back(k);
    }
  for (const auto& k : keys) {
    const YAML::Node x = a[k], y = b[k];
    compare(present(x), present(y), child_path(path, k), out);
  }
}

void compare_lists(const YAML::Node& a, const YAML::Node& b, const std::string& path, std::vector<FieldChange>& out) {
  if (keyed_by_name(a, b)) {
    std::map<std::string, YAML::Node> old_items;
    for (const auto& item : a) old_items.emplace(item["name"].Scalar(), static_cast<const YAML::Node&>(item));
    std::set<std::string> in_new;
    for (const auto& item : b) {
      const std::string name = item["name"].Scalar();
      in_new.insert(name);
      auto it = old_items.find(name);
      compare(it == old_items.end() ? nullptr : &it->second, &item, path + "[name=" + name + "]", out);
    }
    for (const auto& item : a)
      if (!in_new.count(item["name"].Scalar()))
        out.push_back({path + "[name=" + item["name"].Scalar() + "]", show(&item), kNone});
    return;
  }
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const YAML::Node x = i < a.size() ? a[i] : YAML::Node(), y = i < b.size() ? b[i] : YAML::Node();
    compare(i < a.size() ? &x : nullptr, i < b.size() ? &y : nullptr, path + "[" + std::to_string(i) + "]", out);
  }
}

void compare(const YAML::Node* a, const YAML::Node* b, const std::string& path, std::vector<FieldChange>& out) {
  if (!a && !b) return;
  if (a && b && a->Type() == b->Type()) {
    if (a->IsMap()) return compare_maps(*a, *b, path, out);
    if (a->IsSequence()) return compare_lists(*a, *b, path, out);
    if (a->IsScalar() && a->Scalar() == b->Scalar()) return;
    if (a->IsNull()) return;
  }
  out.push_back({path, show(a), show(b)});
}

std::string removal_diff(const K8sObject& o) {
  std::string d = unified_diff(o.display(), o.text(), "");
  const std::string plus = "+++ b/" + o.display() + "\n";
  if (auto at = d.find(plus); at != std::string::npos) d.replace(at, plus.size(), "+++ /dev/null\n");
  return d;
}

const char* type_name(ObjectChange::Type t) {
  switch (t) {
    case ObjectChange::Type::added: return "added";
    case ObjectChange::Type::removed: return "removed";
    case ObjectChange::Type::changed: break;
  }
  return "changed";
}

}  // namespace

ObjectDiff diff_objects(const std::vector<K8sObject>& before, const std::vector<K8sObject>& after) {
  std::map<std::string, const K8sObject*> old_by_key;
  for (const auto& o : before) old_by_key[o.key()] = &o;
  std::set<std::string> new_keys;
  ObjectDiff d;
  for (const auto& o : after) {
    new_keys.insert(o.key());
    auto it = old_by_key.find(o.key());
    if (it == old_by_key.end()) {
      d.changes.push_back({ObjectChange::Type::added, o, {}, unified_diff(o.display(), std::nullopt, o.text())});
      continue;
    }
    ObjectChange c{ObjectChange::Type::changed, o, {}, {}};
    compare(&it->second->node, &o.node, "", c.fields);
    if (c.fields.empty()) continue;
    c.diff = unified_diff(o.display(), it->second->text(), o.text());
    d.changes.push_back(std::move(c));
  }
  for (const auto& o : before)
    if (!new_keys.count(o.key())) d.changes.push_back({ObjectChange::Type::removed, o, {}, removal_diff(o)});
  return d;
}

std::string ObjectDiff::count_line() const {
  if (changes.empty()) return "no object changes";
  std::vector<std::pair<std::string, int>> kinds;
  for (const auto& c : changes) {
    auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == c.object.kind; });
    if (it == kinds.end())
      kinds.push_back({c.object.kind, 1});
    else
      ++it->second;
  }
  std::string s = std::to_string(changes.size()) + (changes.size() == 1 ? " object changes: " : " objects change: ");
  for (size_t i = 0; i < kinds.size(); ++i)
    s += (i ? ", " : "") + std::to_string(kinds[i].second) + " " + kinds[i].first;
  return s;
}

std::vector<std::string> ObjectDiff::lines() const {
  std::vector<std::string> out;
  for (const auto& c : changes) {
    if (c.type != ObjectChange::Type::changed) {
      out.push_back(c.object.display() + "  " + type_name(c.type));
      continue;
    }
    for (const auto& f : c.fields)
      out.push_back(c.object.display() + "  " + f.path + "  " + f.old_value + " → " + f.new_value);
  }
  return out;
}

std::string ObjectDiff::unified() const {
  std::string s;
  for (const auto& c : changes) s += c.diff;
  return s;
}

nlohmann::ordered_json ObjectDiff::json() const {
  nlohmann::ordered_json objects = nlohmann::ordered_json::array();
  for (const auto& c : changes) {
    nlohmann::ordered_json fields = nlohmann::ordered_json::array();
    for (const auto& f : c.fields) fields.push_back({{"path", f.path}, {"old", f.old_value}, {"new", f.new_value}});
    objects.push_back({{"kind", c.object.kind},
                       {"name", c.object.name},
                       {"namespace", c.object.namespace_},
                       {"apiVersion", c.object.api_version},
                       {"change", type_name(c.type)},
                       {"fields", fields},
                       {"diff", c.diff}});
  }
  return {{"summary", count_line()}, {"objects", objects}};
}

}  // namespace hoist::rendering
