#pragma once
// What changes between two renders of an app, object by object and field by field:
//
//   2 objects change: 1 Deployment, 1 CronJob
//   Deployment/api-gateway  spec.template.spec.containers[name=server].image  reg/api:1.0 → reg/api:1.1
//   CronJob/report  spec.jobTemplate.spec.template.spec.containers[name=report].image  reg/r:1 → reg/r:2
//
// Objects are matched by apiVersion, kind, namespace and name; an object only in the new render is "added", one
// only in the old "removed" (a configMapGenerator whose content changed shows as one of each, with its new hash).
// Fields are compared recursively; list items that all carry a `name` (containers, env, ports, volumes) are
// matched by it ("containers[name=server]"), other lists by position. A field present on one side only shows
// "(none)" on the other; a value that is a map or list shows in YAML flow style.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "steps/render/objects.hpp"

namespace hoist::rendering {

struct FieldChange {
  std::string path;       // "spec.template.spec.containers[name=server].image"
  std::string old_value;  // "(none)" when absent
  std::string new_value;
};

struct ObjectChange {
  enum class Type { added, removed, changed };
  Type type = Type::changed;
  K8sObject object;                 // the new object (the old one when removed)
  std::vector<FieldChange> fields;  // changed: one per changed field
  std::string diff;                 // unified diff of the object's YAML ("--- a/Deployment/api-gateway" ...)
};

struct ObjectDiff {
  std::vector<ObjectChange> changes;  // in the order of the new render, then removed objects in the old order

  // "2 objects change: 1 Deployment, 1 CronJob" (kinds in order of first appearance); "no object changes".
  std::string count_line() const;
  // One line per changed field, one per added or removed object.
  std::vector<std::string> lines() const;
  // Every object's unified diff, concatenated.
  std::string unified() const;
  // {"summary": count_line, "objects": [{"kind", "name", "namespace", "apiVersion", "change", "fields":
  //  [{"path", "old", "new"}], "diff"}]}
  nlohmann::ordered_json json() const;
};

ObjectDiff diff_objects(const std::vector<K8sObject>& before, const std::vector<K8sObject>& after);

}  // namespace hoist::rendering
