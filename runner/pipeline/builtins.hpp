#pragma once
// Built-in variables (COMMIT_SHA, COMMIT_SHORT_SHA, BRANCH, PIPELINE_ID, PIPELINE_URL, ACTOR, REPO_URL, CI_SYSTEM,
// DEPLOY_ENVIRONMENT: the deployment environment when the CI job deploys to one), filled from the CI system that
// runs Hoist (GitLab CI, Bitbucket Pipelines, GitHub Actions) or, outside CI, from the git checkout around the
// working directory (read with libgit2).

#include <map>
#include <string>
#include <vector>

namespace hoist {

// The names, in the order documented.
const std::vector<std::string>& builtin_names();

// `env` is the process environment; `cwd` where to look for a git checkout when not in CI.
// Every name of builtin_names() is present in the result (empty when unknown). URLs never carry credentials.
std::map<std::string, std::string> detect_builtins(const std::map<std::string, std::string>& env,
                                                   const std::string& cwd);

}  // namespace hoist
