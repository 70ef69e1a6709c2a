// See known_apps.hpp.
#include "steps/gate/known_apps.hpp"

#include <algorithm>
#include <set>

#include "runner/util/did_you_mean.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/join.hpp"
#include "steps/gate/app_files.hpp"

namespace hoist::promote {

std::vector<std::string> known_apps(ManifestRepo& repo, const Policy& policy) {
  std::set<std::string> apps;
  for (const auto& env : policy.environments)
    for (auto& app : apps_in(repo, policy, env.name)) apps.insert(std::move(app));
  return {apps.begin(), apps.end()};
}

void check_known_app(const std::string& app, const std::vector<std::string>& apps) {
  if (std::find(apps.begin(), apps.end(), app) != apps.end()) return;
  throw InputError("no app '" + app + "' in the manifest repository" + did_you_mean_suffix(app, apps) +
                   (apps.empty() ? "; it has no apps yet" : "; its apps: " + join(apps, ", ")));
}

void require_known_app(ManifestRepo& repo, const Policy& policy, const std::string& app,
                       const std::vector<std::string>& read_first) {
  for (const auto& name : read_first) {
    const Environment& env = policy.environment(name);
    if (repo.read(repo.tip(env.branch), policy.file_for(env.name, app))) return;
  }
  check_known_app(app, known_apps(repo, policy));
}

}  // namespace hoist::promote
