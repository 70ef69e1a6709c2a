#pragma once
// Built-in variables (COMMIT_SHA, COMMIT_SHORT_SHA, BRANCH, PIPELINE_ID, PIPELINE_URL, ACTOR, REPO_URL, CI_SYSTEM,
// DEPLOY_ENVIRONMENT: the deployment environment when the CI job deploys to one), filled from the CI system that
// runs Hoist (GitLab CI, Bitbucket Pipelines, GitHub Actions) or, outside CI, from the git checkout around the
// working directory (read by the CheckoutReader the caller hands in: steps/git/local_checkout).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hoist {

// The names, in the order documented.
const std::vector<std::string>& builtin_names();

// What the git checkout around a directory tells, outside CI.
struct CheckoutFacts {
  std::string commit_sha;  // HEAD's commit; empty on an unborn branch
  std::string branch;      // empty on a detached HEAD
  std::string actor;       // git user.email, else user.name; empty when neither is set
  std::string repo_url;    // the remote "origin"; empty without one
};
// nullopt when the directory is not in a git checkout.
using CheckoutReader = std::function<std::optional<CheckoutFacts>(const std::string& cwd)>;

// `env` is the process environment; `cwd` where `read_checkout` looks for a git checkout when not in CI (an empty
// reader: none is looked for). Every name of builtin_names() is present in the result (empty when unknown). URLs
// never carry credentials.
std::map<std::string, std::string> detect_builtins(const std::map<std::string, std::string>& env,
                                                   const std::string& cwd, const CheckoutReader& read_checkout);

}  // namespace hoist
