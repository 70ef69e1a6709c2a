// See app_files.hpp.
#include "steps/gate/app_files.hpp"

#include <algorithm>

#include "runner/util/errors.hpp"
#include "steps/gate/env_image.hpp"

namespace hoist::promote {

std::optional<std::string> app_of_file(const Policy& policy, const Environment& env, std::string path) {
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  auto is_file_of = [&](const std::string& app) {
    try {
      return policy.file_for(env.name, app) == path;
    } catch (const InputError&) {
      return false;
    }
  };
  for (const auto& rule : policy.apps)
    if (!rule.is_glob() && is_file_of(rule.pattern)) return rule.pattern;
  for (const std::string& pattern : policy.file_patterns(env)) {
    const std::size_t at = pattern.find("{app}");
    if (at == std::string::npos || path.compare(0, at, pattern, 0, at) != 0) continue;
    // Every app name that could stand at {app}: the path's characters from there up to the next '/'.
    const std::size_t slash = path.find('/', at);
    const std::size_t longest = (slash == std::string::npos ? path.size() : slash) - at;
    for (std::size_t n = 1; n <= longest; ++n)
      if (is_file_of(path.substr(at, n))) return path.substr(at, n);
  }
  return std::nullopt;
}

bool is_values_file(const Policy& policy, const Environment& env, const std::string& path) {
  if (app_of_file(policy, env, path)) return true;
  std::string p = path;
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  for (const std::string& pattern : policy.file_patterns(env))
    if (pattern.find("{app}") == std::string::npos && pattern == p) return true;
  return false;
}

std::vector<std::string> apps_in(ManifestRepo& repo, const Policy& policy, const std::string& env_name) {
  const Environment& env = policy.environment(env_name);
  std::vector<std::string> apps;
  for (const auto& path : repo.files(repo.tip(env.branch)))
    if (auto app = app_of_file(policy, env, path)) apps.push_back(*app);
  std::sort(apps.begin(), apps.end());
  apps.erase(std::unique(apps.begin(), apps.end()), apps.end());
  return apps;
}

std::vector<std::string> apps_that_differ(ManifestRepo& repo, const Policy& policy, const std::string& from,
                                          const std::string& to, ImageResolver* resolver,
                                          std::vector<std::string>* same) {
  std::vector<std::string> out;
  for (const auto& app : apps_in(repo, policy, from)) {
    EnvImage target = read_env_image(repo, policy, to, app, resolver);
    if (!target.content) continue;
    EnvImage source = read_env_image(repo, policy, from, app, resolver);
    if (source.digest && source.digest == target.digest) {
      if (same) same->push_back(app);
      continue;
    }
    out.push_back(app);
  }
  return out;
}

}  // namespace hoist::promote
