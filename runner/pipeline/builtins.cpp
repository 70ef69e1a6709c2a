// See builtins.hpp. One function per source: each CI system maps its own variables, and outside CI the git checkout
// around the working directory is read with libgit2 (no `git` process, so it works where git is not installed).

#include "runner/pipeline/builtins.hpp"

#include <filesystem>

#include "runner/util/url_userinfo.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

using Env = std::map<std::string, std::string>;

std::string get(const Env& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

void from_gitlab(const Env& env, Env& b) {
  b["CI_SYSTEM"] = "gitlab";
  b["COMMIT_SHA"] = get(env, "CI_COMMIT_SHA");
  b["COMMIT_SHORT_SHA"] = get(env, "CI_COMMIT_SHORT_SHA");
  b["BRANCH"] = get(env, "CI_COMMIT_REF_NAME");  // the branch, or the tag for tag pipelines
  b["PIPELINE_ID"] = get(env, "CI_PIPELINE_ID");
  b["PIPELINE_URL"] = get(env, "CI_PIPELINE_URL");
  b["ACTOR"] = get(env, "GITLAB_USER_LOGIN");
  b["REPO_URL"] = get(env, "CI_PROJECT_URL");  // not CI_REPOSITORY_URL: that one carries the job token
  b["DEPLOY_ENVIRONMENT"] = get(env, "CI_ENVIRONMENT_NAME");  // set in jobs with `environment:`
}

void from_bitbucket(const Env& env, Env& b) {
  b["CI_SYSTEM"] = "bitbucket";
  b["COMMIT_SHA"] = get(env, "BITBUCKET_COMMIT");
  b["BRANCH"] = get(env, "BITBUCKET_BRANCH");
  if (b["BRANCH"].empty()) b["BRANCH"] = get(env, "BITBUCKET_TAG");
  b["PIPELINE_ID"] = get(env, "BITBUCKET_BUILD_NUMBER");
  std::string workspace = get(env, "BITBUCKET_WORKSPACE"), slug = get(env, "BITBUCKET_REPO_SLUG");
  if (!workspace.empty() && !slug.empty())
    b["PIPELINE_URL"] =
        "https://bitbucket.org/" + workspace + "/" + slug + "/pipelines/results/" + get(env, "BITBUCKET_BUILD_NUMBER");
  b["ACTOR"] = get(env, "BITBUCKET_STEP_TRIGGERER_UUID");
  b["REPO_URL"] = get(env, "BITBUCKET_GIT_HTTP_ORIGIN");
  b["DEPLOY_ENVIRONMENT"] = get(env, "BITBUCKET_DEPLOYMENT_ENVIRONMENT");  // set in steps with `deployment:`
}

void from_github(const Env& env, Env& b) {
  b["CI_SYSTEM"] = "github";
  std::string server = get(env, "GITHUB_SERVER_URL");
  if (server.empty()) server = "https://github.com";
  std::string repo = get(env, "GITHUB_REPOSITORY");
  b["COMMIT_SHA"] = get(env, "GITHUB_SHA");
  b["BRANCH"] = get(env, "GITHUB_REF_NAME");
  b["PIPELINE_ID"] = get(env, "GITHUB_RUN_ID");
  if (!repo.empty()) {
    b["PIPELINE_URL"] = server + "/" + repo + "/actions/runs/" + get(env, "GITHUB_RUN_ID");
    b["REPO_URL"] = server + "/" + repo;
  }
  b["ACTOR"] = get(env, "GITHUB_ACTOR");
}

// Whether `cwd` or a directory above it could hold the repository git_repository_open_ext finds: a ".git" entry, or
// a bare repository (HEAD and objects/) itself. When none does, libgit2 is not even initialised (its TLS setup
// parses the system's CA bundle: a tenth of a no-op image build's CPU).
bool may_be_in_repository(const std::string& cwd) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::path p = fs::absolute(cwd, ec);; p = p.parent_path()) {
    if (fs::exists(p / ".git", ec) || (fs::exists(p / "HEAD", ec) && fs::is_directory(p / "objects", ec))) return true;
    if (p.empty() || p == p.parent_path()) return false;
  }
}

void from_git_checkout(const Env& env, const std::string& cwd, Env& b) {
  b["CI_SYSTEM"] = "local";
  b["PIPELINE_ID"] = "local";
  b["ACTOR"] = get(env, "USER");

  if (!may_be_in_repository(cwd)) return;  // not in a git checkout: nothing more to know
  libgit2_init();
  git_repository* raw_repo = nullptr;
  int rc = git_repository_open_ext(&raw_repo, cwd.c_str(), 0, nullptr);
  if (rc == GIT_ENOTFOUND) return;  // not in a git checkout: nothing more to know
  git_check(rc, "cannot open the git repository around " + cwd);
  GitPtr<git_repository> repo(raw_repo);

  // HEAD: its commit, and its branch unless detached. An unborn branch (no commit yet) has a name but no commit.
  git_reference* raw_head = nullptr;
  rc = git_repository_head(&raw_head, repo.get());
  if (rc == GIT_EUNBORNBRANCH) {
    auto head = git_make<git_reference>("cannot read HEAD", git_reference_lookup, repo.get(), "HEAD");
    std::string target = git_reference_symbolic_target(head.get()) ? git_reference_symbolic_target(head.get()) : "";
    constexpr std::string_view heads = "refs/heads/";
    b["BRANCH"] = target.rfind(heads, 0) == 0 ? target.substr(heads.size()) : target;
  } else {
    git_check(rc, "cannot read HEAD");
    GitPtr<git_reference> head(raw_head);
    if (const git_oid* oid = git_reference_target(head.get())) b["COMMIT_SHA"] = to_hex(*oid);
    if (git_repository_head_detached(repo.get()) != 1) b["BRANCH"] = git_reference_shorthand(head.get());
  }

  auto config = git_make<git_config>("cannot read the git configuration", git_repository_config_snapshot, repo.get());
  std::string actor = git_user_identity(config.get());
  if (!actor.empty()) b["ACTOR"] = actor;

  git_remote* raw_remote = nullptr;
  rc = git_remote_lookup(&raw_remote, repo.get(), "origin");
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) return;
  git_check(rc, "cannot read remote 'origin'");
  GitPtr<git_remote> origin(raw_remote);
  if (const char* url = git_remote_url(origin.get())) b["REPO_URL"] = url;
}

}  // namespace

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> names = {"COMMIT_SHA",   "COMMIT_SHORT_SHA", "BRANCH",    "PIPELINE_ID",
                                                 "PIPELINE_URL", "ACTOR",            "REPO_URL",  "CI_SYSTEM",
                                                 "DEPLOY_ENVIRONMENT"};
  return names;
}

std::map<std::string, std::string> detect_builtins(const std::map<std::string, std::string>& env,
                                                   const std::string& cwd) {
  Env b;
  for (const auto& name : builtin_names()) b[name] = "";
  if (get(env, "GITLAB_CI") == "true") from_gitlab(env, b);
  else if (env.count("BITBUCKET_BUILD_NUMBER")) from_bitbucket(env, b);
  else if (get(env, "GITHUB_ACTIONS") == "true") from_github(env, b);
  else from_git_checkout(env, cwd, b);

  if (b["COMMIT_SHORT_SHA"].empty()) b["COMMIT_SHORT_SHA"] = b["COMMIT_SHA"].substr(0, 8);
  // Whatever the source, URLs never carry credentials.
  b["REPO_URL"] = strip_url_userinfo(b["REPO_URL"]);
  b["PIPELINE_URL"] = strip_url_userinfo(b["PIPELINE_URL"]);
  return b;
}

}  // namespace hoist
