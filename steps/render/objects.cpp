// See objects.hpp.

#include "steps/render/objects.hpp"

#include <set>

#include "runner/util/errors.hpp"

namespace hoist::rendering {
namespace {

std::string scalar_at(const YAML::Node& node, const char* key) {
  const YAML::Node v = node[key];
  return v && v.IsScalar() ? v.Scalar() : "";
}

std::string where(const std::string& source, const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.is_null()) return source;
  return source + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

void add_object(const YAML::Node& doc, const std::string& source, std::vector<K8sObject>& out,
                std::set<std::string>& seen) {
  if (!doc || doc.IsNull()) return;
  if (!doc.IsMap()) throw InputError(where(source, doc) + ": a rendered document is not a Kubernetes object");
  if (scalar_at(doc, "kind") == "List" && doc["items"] && doc["items"].IsSequence()) {
    for (const auto& item : doc["items"]) add_object(item, source, out, seen);
    return;
  }
  K8sObject o;
  o.api_version = scalar_at(doc, "apiVersion");
  o.kind = scalar_at(doc, "kind");
  const YAML::Node meta = doc["metadata"];
  if (meta && meta.IsMap()) {
    o.name = scalar_at(meta, "name");
    o.namespace_ = scalar_at(meta, "namespace");
  }
  if (o.kind.empty()) throw InputError(where(source, doc) + ": a rendered object without a kind");
  if (o.name.empty()) throw InputError(where(source, doc) + ": a rendered " + o.kind + " without metadata.name");
  if (!seen.insert(o.key()).second)
    throw InputError(where(source, doc) + ": " + o.display() + " is rendered twice");
  o.node = doc;
  out.push_back(std::move(o));
}

}  // namespace

std::string K8sObject::display() const {
  return kind + "/" + (namespace_.empty() ? "" : namespace_ + "/") + name;
}

std::string K8sObject::text() const {
  YAML::Emitter e;
  e << node;
  std::string s = e.c_str();
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

std::vector<K8sObject> parse_objects(const std::string& yaml, const std::string& source) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(yaml);
  } catch (const YAML::ParserException& e) {
    throw InputError(source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                     ": " + e.msg);
  }
  std::vector<K8sObject> out;
  std::set<std::string> seen;
  for (const auto& doc : docs) add_object(doc, source, out, seen);
  return out;
}

}  // namespace hoist::rendering
