// See known_apps.hpp.
#include "runner/cli/known_apps.hpp"

#include <algorithm>
#include <regex>
#include <set>

#include "runner/util/did_you_mean.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/join.hpp"

namespace hoist {
namespace {

// "{app}/prod.values.yaml" -> "([^/]+)/prod\.values\.yaml"
std::regex pattern_regex(const std::string& pattern) {
  std::string re;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.compare(i, 5, "{app}") == 0) {
      re += "([^/]+)";
      i += 4;
    } else if (std::string("\\^$.|?*+()[]{}").find(pattern[i]) != std::string::npos) {
      re += std::string("\\") + pattern[i];
    } else {
      re += pattern[i];
    }
  }
  return std::regex(re);
}

}  // namespace

std::vector<std::string> known_apps(promote::ManifestRepo& repo, const promote::ProductionPolicy& pp) {
  std::set<std::string> apps;
  for (const auto& env : pp.policy.environments) {
    // Candidates: an `apps:` rule's exact name, and what matches the environment's file patterns (its own and the
    // rules'); an app counts when its own file (file_for) is there.
    std::set<std::string> candidates;
    for (const auto& rule : pp.policy.apps)
      if (!rule.is_glob()) candidates.insert(rule.pattern);
    const std::vector<std::string> files = repo.files(repo.tip(env.branch));
    for (const auto& pattern : pp.policy.file_patterns(env)) {
      const std::regex matcher = pattern_regex(pattern);
      for (const auto& f : files) {
        std::smatch m;
        if (std::regex_match(f, m, matcher) && m.size() > 1) candidates.insert(m[1].str());
      }
    }
    for (const auto& app : candidates) {
      try {
        if (std::find(files.begin(), files.end(), pp.policy.file_for(env.name, app)) != files.end()) apps.insert(app);
      } catch (const InputError&) {  // not a plain app name
      }
    }
  }
  return {apps.begin(), apps.end()};
}

void check_known_app(const std::string& app, const std::vector<std::string>& apps) {
  if (std::find(apps.begin(), apps.end(), app) != apps.end()) return;
  throw InputError("no app '" + app + "' in the manifest repository" + did_you_mean_suffix(app, apps) +
                   (apps.empty() ? "; it has no apps yet" : "; its apps: " + join(apps, ", ")));
}

}  // namespace hoist
