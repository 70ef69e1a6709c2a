// See builtins.hpp. One function per source: each CI system maps its own variables, and outside CI the git checkout
// around the working directory is read by the CheckoutReader the command line hands in (steps/git/local_checkout).

#include "runner/pipeline/builtins.hpp"

#include <optional>

#include "runner/util/strings.hpp"
#include "runner/util/url_userinfo.hpp"

namespace hoist {
namespace {

using Env = std::map<std::string, std::string>;

void from_gitlab(const Env& env, Env& b) {
  b["CI_SYSTEM"] = "gitlab";
  b["COMMIT_SHA"] = value_or_empty(env, "CI_COMMIT_SHA");
  b["COMMIT_SHORT_SHA"] = value_or_empty(env, "CI_COMMIT_SHORT_SHA");
  b["BRANCH"] = value_or_empty(env, "CI_COMMIT_REF_NAME");  // the branch, or the tag for tag pipelines
  b["PIPELINE_ID"] = value_or_empty(env, "CI_PIPELINE_ID");
  b["PIPELINE_URL"] = value_or_empty(env, "CI_PIPELINE_URL");
  b["ACTOR"] = value_or_empty(env, "GITLAB_USER_LOGIN");
  b["REPO_URL"] = value_or_empty(env, "CI_PROJECT_URL");  // not CI_REPOSITORY_URL: that one carries the job token
  b["DEPLOY_ENVIRONMENT"] = value_or_empty(env, "CI_ENVIRONMENT_NAME");  // set in jobs with `environment:`
}

void from_bitbucket(const Env& env, Env& b) {
  b["CI_SYSTEM"] = "bitbucket";
  b["COMMIT_SHA"] = value_or_empty(env, "BITBUCKET_COMMIT");
  b["BRANCH"] = value_or_empty(env, "BITBUCKET_BRANCH");
  if (b["BRANCH"].empty()) b["BRANCH"] = value_or_empty(env, "BITBUCKET_TAG");
  b["PIPELINE_ID"] = value_or_empty(env, "BITBUCKET_BUILD_NUMBER");
  std::string workspace = value_or_empty(env, "BITBUCKET_WORKSPACE"), slug = value_or_empty(env, "BITBUCKET_REPO_SLUG");
  if (!workspace.empty() && !slug.empty())
    b["PIPELINE_URL"] =
        "https://bitbucket.org/" + workspace + "/" + slug + "/pipelines/results/" + value_or_empty(env, "BITBUCKET_BUILD_NUMBER");
  b["ACTOR"] = value_or_empty(env, "BITBUCKET_STEP_TRIGGERER_UUID");
  b["REPO_URL"] = value_or_empty(env, "BITBUCKET_GIT_HTTP_ORIGIN");
  b["DEPLOY_ENVIRONMENT"] = value_or_empty(env, "BITBUCKET_DEPLOYMENT_ENVIRONMENT");  // set in steps with `deployment:`
}

void from_github(const Env& env, Env& b) {
  b["CI_SYSTEM"] = "github";
  std::string server = value_or_empty(env, "GITHUB_SERVER_URL");
  if (server.empty()) server = "https://github.com";
  std::string repo = value_or_empty(env, "GITHUB_REPOSITORY");
  b["COMMIT_SHA"] = value_or_empty(env, "GITHUB_SHA");
  b["BRANCH"] = value_or_empty(env, "GITHUB_REF_NAME");
  b["PIPELINE_ID"] = value_or_empty(env, "GITHUB_RUN_ID");
  if (!repo.empty()) {
    b["PIPELINE_URL"] = server + "/" + repo + "/actions/runs/" + value_or_empty(env, "GITHUB_RUN_ID");
    b["REPO_URL"] = server + "/" + repo;
  }
  b["ACTOR"] = value_or_empty(env, "GITHUB_ACTOR");
}

void from_checkout(const Env& env, const std::string& cwd, const CheckoutReader& read_checkout, Env& b) {
  b["CI_SYSTEM"] = "local";
  b["PIPELINE_ID"] = "local";
  b["ACTOR"] = value_or_empty(env, "USER");
  std::optional<CheckoutFacts> facts = read_checkout ? read_checkout(cwd) : std::nullopt;
  if (!facts) return;  // not in a git checkout: nothing more to know
  b["COMMIT_SHA"] = facts->commit_sha;
  b["BRANCH"] = facts->branch;
  if (!facts->actor.empty()) b["ACTOR"] = facts->actor;
  b["REPO_URL"] = facts->repo_url;
}

}  // namespace

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> names = {"COMMIT_SHA",   "COMMIT_SHORT_SHA", "BRANCH",    "PIPELINE_ID",
                                                 "PIPELINE_URL", "ACTOR",            "REPO_URL",  "CI_SYSTEM",
                                                 "DEPLOY_ENVIRONMENT"};
  return names;
}

std::map<std::string, std::string> detect_builtins(const std::map<std::string, std::string>& env,
                                                   const std::string& cwd, const CheckoutReader& read_checkout) {
  Env b;
  for (const auto& name : builtin_names()) b[name] = "";
  if (value_or_empty(env, "GITLAB_CI") == "true") from_gitlab(env, b);
  else if (env.count("BITBUCKET_BUILD_NUMBER")) from_bitbucket(env, b);
  else if (value_or_empty(env, "GITHUB_ACTIONS") == "true") from_github(env, b);
  else from_checkout(env, cwd, read_checkout, b);

  if (b["COMMIT_SHORT_SHA"].empty()) b["COMMIT_SHORT_SHA"] = b["COMMIT_SHA"].substr(0, 8);
  // Whatever the source, URLs never carry credentials.
  b["REPO_URL"] = strip_url_userinfo(b["REPO_URL"]);
  b["PIPELINE_URL"] = strip_url_userinfo(b["PIPELINE_URL"]);
  return b;
}

}  // namespace hoist
