#pragma once
// Which app a values file belongs to, by the environment's file pattern ("{app}/prod.values.yaml"), and which apps
// an environment's branch holds: for `hoist promote --all` and for refusing a bump of a gated file.

#include <optional>
#include <string>
#include <vector>

#include "steps/gate/image_resolver.hpp"
#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

// The app whose values file in ENV is PATH ("./" prefixes ignored; apps named in `apps:` rules first, then every
// name that could stand at {app} in the environment's file patterns), or nullopt.
std::optional<std::string> app_of_file(const Policy& policy, const Environment& env, std::string path);

// Whether PATH is ENV's file for some app: an app's (per `apps:` rules too) or a pattern without {app}.
bool is_values_file(const Policy& policy, const Environment& env, const std::string& path);

// The apps that have a values file on ENV's branch now, sorted.
std::vector<std::string> apps_in(ManifestRepo& repo, const Policy& policy, const std::string& env);

// The apps of FROM's branch whose digest differs from what TO runs (TO must have a values file for the app), for
// `--all`; the apps that run the same digest in both go to SAME when given. Digests are the recorded ones, else the
// resolver's (when given); an app whose digests are unknown counts as differing.
std::vector<std::string> apps_that_differ(ManifestRepo& repo, const Policy& policy, const std::string& from,
                                          const std::string& to, ImageResolver* resolver,
                                          std::vector<std::string>* same = nullptr);

}  // namespace hoist::promote
