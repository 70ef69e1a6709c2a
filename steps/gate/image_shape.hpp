#pragma once
// How an app's image is written in its environment files, as hoist.yaml says: the defaults (`image_at`) and the
// per-app overrides (`apps:`, by name or glob) of the file and of the places holding the image. One service may
// be a Helm chart (a tag key, a digest key beside it, a CronJob's whole reference), the next a kustomize overlay
// (an `images:` entry), a third raw manifests (`image:` values) or Flux setter markers:
//
//   image_at:                                  # the default for every app (default: {tag: image.tag})
//     tag: image.tag                           # Helm: key paths holding the tag (one, or a list)
//     digest: image.digest                     # key paths holding the digest (default: `digest` beside each tag key,
//                                              # where the file has one)
//     ref: ["cronjobs[0].image"]               # key paths holding a whole reference REPO:TAG[@DIGEST]
//     kustomize: "registry.example.com/shop/{app}"   # the `images:` entry of this name (newTag, digest)
//     image: "registry.example.com/shop/{app}"       # raw manifests: every `image:` value of this repository
//     marker: "flux-system:{app}"              # Flux: every value marked {"$imagepolicy": "flux-system:{app}[:…]"}
//   apps:
//     web:                                     # an exact name wins over a glob; globs (* ?) in file order
//       file: "web/overlays/{env}/kustomization.yaml"   # or {qa: PATTERN, prod: PATTERN}; others keep the env's
//       image_at: {kustomize: registry.example.com/shop/web}   # replaces the default image_at as a whole
//
// `{app}` is the app's name, `{env}` the environment's. Plain data plus the loader's pieces; where those places are
// found in a file is image_places.hpp.

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/util/diagnostics.hpp"

namespace hoist::promote {

struct ImageShape {
  std::vector<std::string> tags;       // key paths of Helm-style tag values
  std::vector<std::string> digests;    // key paths of digest values; empty: `digest` beside each tag key, if present
  std::vector<std::string> refs;       // key paths of whole references
  std::vector<std::string> kustomize;  // names of kustomize `images:` entries
  std::vector<std::string> images;     // repositories of raw `image:` values
  std::vector<std::string> markers;    // Flux image policies "NS:POLICY"

  // The same shape with {app} replaced everywhere.
  ImageShape for_app(std::string_view app) const;
  // "tag image.tag, digest image.digest, ref cronjobs[0].image": for messages.
  std::string describe() const;
};

// One entry of `apps:`.
struct AppRule {
  std::string pattern;                       // "web", "svc-*"
  std::string file;                          // every environment's file pattern; "" keeps the environment's
  std::map<std::string, std::string> files;  // environment -> file pattern (wins over `file`)
  std::map<std::string, Location> file_envs; // where each environment of `files` is named, for the check
  std::optional<ImageShape> image_at;        // replaces the policy's image_at when set
  Location location;

  bool matches(std::string_view app) const;
  bool is_glob() const;
};

// Reads an `image_at:` mapping; every problem goes to `diags` at its place (a bad key path at its column, an
// unknown kind of place, a shape with no place for the tag). nullopt when it cannot be used.
std::optional<ImageShape> load_image_shape(const YAML::Node& node, const std::string& what, const std::string& file,
                                           Diagnostics& diags);

// Whether the scalar N is a key path (yamledit syntax); if not, reports it at the column of the mistake.
bool check_key_path_at(const YAML::Node& n, const std::string& what, const std::string& file, Diagnostics& diags);

// Reads `apps:`. Environment names in per-environment files are checked later (check_app_files), once the
// environments are known.
std::vector<AppRule> load_app_rules(const YAML::Node& node, const std::string& file, Diagnostics& diags);

// Reports each environment a rule's `file:` map names that the policy does not have.
void check_app_files(const std::vector<AppRule>& rules, const std::vector<std::string>& environments,
                     Diagnostics& diags);

// The rule for APP: an exact name first, else the first glob that matches; nullptr when none.
const AppRule* find_app_rule(const std::vector<AppRule>& rules, std::string_view app);

}  // namespace hoist::promote
