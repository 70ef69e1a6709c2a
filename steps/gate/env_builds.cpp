// See env_builds.hpp.
#include "steps/gate/env_builds.hpp"

#include <set>

#include "steps/gate/env_image.hpp"

namespace hoist::promote {

BuildId build_in(ManifestRepo& repo, const Policy& policy, const std::string& env_name, const std::string& app,
                 const std::string& digest) {
  std::set<std::string> seen;
  for (const Environment* env = policy.find(env_name); env && seen.insert(env->name).second;
       env = policy.find(env->after)) {
    const std::string file = policy.file_for(env->name, app);
    for (const auto& c : repo.history(env->branch, file)) {
      BuildId b = build_of(c);
      if (b.source_commit.empty() && b.build_number.empty()) continue;
      if (digest_at(repo, policy, app, c, file) != digest) continue;
      b.digest = digest;
      return b;
    }
  }
  BuildId only;
  only.digest = digest;
  return only;
}

std::vector<BuildId> arrivals_in(ManifestRepo& repo, const Policy& policy, const std::string& env_name,
                                 const std::string& app) {
  const Environment& env = policy.environment(env_name);
  const std::string file = policy.file_for(env.name, app);
  const std::vector<CommitInfo> history = repo.history(env.branch, file);
  std::vector<BuildId> out;
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    BuildId b = build_of(*it);
    if (auto d = digest_at(repo, policy, app, *it, file)) b.digest = *d;
    if (!b.empty()) out.push_back(b);
  }
  return out;
}

}  // namespace hoist::promote
