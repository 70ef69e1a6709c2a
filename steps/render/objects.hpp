#pragma once
// Rendered multi-document YAML as Kubernetes objects, each known by apiVersion, kind, namespace and name (what
// the API server keys it by). Empty documents are skipped and a `kind: List` is opened into its items.

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace hoist::rendering {

struct K8sObject {
  std::string api_version;
  std::string kind;
  std::string namespace_;  // "" when the object has none (cluster-scoped, or left to the default)
  std::string name;
  YAML::Node node;
  std::string key() const { return api_version + "/" + kind + "/" + namespace_ + "/" + name; }
  // "Deployment/api-gateway", "Deployment/prod/api-gateway" when it names its namespace.
  std::string display() const;
  // The object as block YAML, the text its unified diff is made of.
  std::string text() const;
};

// Throws InputError("SOURCE:LINE:COL: ...") for YAML that does not parse, and for a document that is an object
// without a kind or name, or one that repeats an object already seen.
std::vector<K8sObject> parse_objects(const std::string& yaml, const std::string& source);

}  // namespace hoist::rendering
