// Built-in variables from each CI system's own variables (as that CI sets them) and from a real local git checkout;
// plus the libgit2 wrappers and URL credential stripping they rely on.

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include "runner/pipeline/builtins.hpp"
#include "runner/util/url_userinfo.hpp"
#include "steps/git/libgit2.hpp"
#include "steps/git/local_checkout.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using hoist::test::TempDir;
using Env = std::map<std::string, std::string>;

namespace {

const std::string sha = "1f2e3d4c5b6a79880123456789abcdef01234567";

// Runs a shell command; returns its stdout without the trailing newline. Fails the test if it exits non-zero.
std::string sh(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = ::pclose(p);
  INFO(command << "\n" << out);
  REQUIRE(status == 0);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// git in `dir`, isolated from the user's and the system's configuration.
std::string git(const std::filesystem::path& dir, const std::string& args) {
  return sh("cd '" + dir.string() + "' && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git " + args);
}

// Points libgit2's global, XDG and system configuration at an empty directory for one test, so that the
// machine's ~/.gitconfig cannot supply user.email; restores the previous search paths afterwards.
class IsolatedLibgit2Config {
 public:
  explicit IsolatedLibgit2Config(const std::string& empty_dir) {
    libgit2_init();
    for (int level : levels) {
      GitBuf old;
      git_check(git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, level, old.get()), "get search path");
      saved_.push_back(old.str());
      git_check(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, empty_dir.c_str()), "set search path");
    }
  }
  ~IsolatedLibgit2Config() {
    for (size_t i = 0; i < saved_.size(); ++i) git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], saved_[i].c_str());
  }

 private:
  static constexpr int levels[] = {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM};
  std::vector<std::string> saved_;
};

void check_all_names_present(const Env& b) {
  for (const auto& name : builtin_names()) CHECK(b.count(name) == 1);
  CHECK(b.size() == builtin_names().size());
}

}  // namespace

TEST_CASE("built-in names", "[builtins]") {
  CHECK(builtin_names() == std::vector<std::string>{"COMMIT_SHA", "COMMIT_SHORT_SHA", "BRANCH", "PIPELINE_ID",
                                                    "PIPELINE_URL", "ACTOR", "REPO_URL", "CI_SYSTEM",
                                                    "DEPLOY_ENVIRONMENT"});
}

TEST_CASE("built-ins from GitLab CI", "[builtins]") {
  Env env = {{"CI", "true"},
             {"GITLAB_CI", "true"},
             {"CI_COMMIT_SHA", sha},
             {"CI_COMMIT_SHORT_SHA", "1f2e3d4c"},
             {"CI_COMMIT_REF_NAME", "main"},
             {"CI_PIPELINE_ID", "1234567"},
             {"CI_PIPELINE_URL", "https://gitlab.example.com/shop/api-gateway/-/pipelines/1234567"},
             {"GITLAB_USER_LOGIN", "alice"},
             {"CI_PROJECT_URL", "https://gitlab.example.com/shop/api-gateway"},
             {"CI_ENVIRONMENT_NAME", "production"},
             {"CI_REPOSITORY_URL", "https://gitlab-ci-token:glcbt-secret@gitlab.example.com/shop/api-gateway.git"},
             {"GITHUB_ACTIONS", "true"}};  // GitLab wins if both say so
  Env b = detect_builtins(env, "/nonexistent", read_local_checkout);
  check_all_names_present(b);
  CHECK(b == Env{{"CI_SYSTEM", "gitlab"},
                 {"COMMIT_SHA", sha},
                 {"COMMIT_SHORT_SHA", "1f2e3d4c"},
                 {"BRANCH", "main"},
                 {"PIPELINE_ID", "1234567"},
                 {"PIPELINE_URL", "https://gitlab.example.com/shop/api-gateway/-/pipelines/1234567"},
                 {"ACTOR", "alice"},
                 {"REPO_URL", "https://gitlab.example.com/shop/api-gateway"},
                 {"DEPLOY_ENVIRONMENT", "production"}});
}

TEST_CASE("built-ins from Bitbucket Pipelines", "[builtins]") {
  Env env = {{"CI", "true"},
             {"BITBUCKET_BUILD_NUMBER", "42"},
             {"BITBUCKET_COMMIT", sha},
             {"BITBUCKET_BRANCH", "feature/login"},
             {"BITBUCKET_WORKSPACE", "shop"},
             {"BITBUCKET_REPO_SLUG", "api-gateway"},
             {"BITBUCKET_REPO_FULL_NAME", "shop/api-gateway"},
             {"BITBUCKET_STEP_TRIGGERER_UUID", "{7e1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d}"},
             {"BITBUCKET_GIT_HTTP_ORIGIN", "http://bitbucket.org/shop/api-gateway"},
             {"BITBUCKET_DEPLOYMENT_ENVIRONMENT", "staging"}};
  Env b = detect_builtins(env, "/nonexistent", read_local_checkout);
  check_all_names_present(b);
  CHECK(b == Env{{"CI_SYSTEM", "bitbucket"},
                 {"COMMIT_SHA", sha},
                 {"COMMIT_SHORT_SHA", "1f2e3d4c"},
                 {"BRANCH", "feature/login"},
                 {"PIPELINE_ID", "42"},
                 {"PIPELINE_URL", "https://bitbucket.org/shop/api-gateway/pipelines/results/42"},
                 {"ACTOR", "{7e1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d}"},
                 {"REPO_URL", "http://bitbucket.org/shop/api-gateway"},
                 {"DEPLOY_ENVIRONMENT", "staging"}});

  SECTION("a tag pipeline has BITBUCKET_TAG instead of BITBUCKET_BRANCH") {
    env.erase("BITBUCKET_BRANCH");
    env["BITBUCKET_TAG"] = "v1.4.0";
    CHECK(detect_builtins(env, "/nonexistent", read_local_checkout).at("BRANCH") == "v1.4.0");
  }
}

TEST_CASE("built-ins from GitHub Actions", "[builtins]") {
  Env env = {{"CI", "true"},
             {"GITHUB_ACTIONS", "true"},
             {"GITHUB_SHA", sha},
             {"GITHUB_REF", "refs/heads/main"},
             {"GITHUB_REF_NAME", "main"},
             {"GITHUB_RUN_ID", "9876543210"},
             {"GITHUB_RUN_NUMBER", "17"},
             {"GITHUB_SERVER_URL", "https://github.com"},
             {"GITHUB_REPOSITORY", "shop/api-gateway"},
             {"GITHUB_ACTOR", "octocat"}};
  Env b = detect_builtins(env, "/nonexistent", read_local_checkout);
  check_all_names_present(b);
  CHECK(b == Env{{"CI_SYSTEM", "github"},
                 {"COMMIT_SHA", sha},
                 {"COMMIT_SHORT_SHA", "1f2e3d4c"},
                 {"BRANCH", "main"},
                 {"PIPELINE_ID", "9876543210"},
                 {"PIPELINE_URL", "https://github.com/shop/api-gateway/actions/runs/9876543210"},
                 {"ACTOR", "octocat"},
                 {"REPO_URL", "https://github.com/shop/api-gateway"},
                 {"DEPLOY_ENVIRONMENT", ""}});
}

TEST_CASE("built-ins from a local git checkout", "[builtins][git]") {
  TempDir dir;
  const auto repo = dir.path() / "app";
  std::filesystem::create_directories(repo / "src" / "deep");
  git(repo, "init -q -b main");
  git(repo, "config user.email dev@example.invalid");
  git(repo, "config user.name 'Dev Eloper'");
  git(repo, "-c commit.gpgsign=false commit -q --allow-empty -m init");
  git(repo, "remote add origin https://user:secret@example.invalid/x.git");
  test::add_secret_input(repo / ".git" / "config");  // a checkout cloned with a token, which REPO_URL drops
  const std::string head = git(repo, "rev-parse HEAD");
  REQUIRE(head.size() == 40);
  Env env = {{"USER", "fallback-user"}};

  Env b = detect_builtins(env, (repo / "src" / "deep").string(), read_local_checkout);  // found from a subdirectory
  check_all_names_present(b);
  CHECK(b == Env{{"CI_SYSTEM", "local"},
                 {"COMMIT_SHA", head},
                 {"COMMIT_SHORT_SHA", head.substr(0, 8)},
                 {"BRANCH", "main"},
                 {"PIPELINE_ID", "local"},
                 {"PIPELINE_URL", ""},
                 {"ACTOR", "dev@example.invalid"},
                 {"REPO_URL", "https://example.invalid/x.git"},
                 {"DEPLOY_ENVIRONMENT", ""}});
  for (const auto& [name, value] : b) CHECK(value.find("secret") == std::string::npos);

  SECTION("another branch") {
    git(repo, "checkout -q -b feature/x");
    CHECK(detect_builtins(env, repo.string(), read_local_checkout).at("BRANCH") == "feature/x");
  }
  SECTION("detached HEAD: the commit, no branch") {
    git(repo, "-c commit.gpgsign=false commit -q --allow-empty -m second");
    git(repo, "checkout -q --detach HEAD~1");
    Env d = detect_builtins(env, repo.string(), read_local_checkout);
    CHECK(d.at("COMMIT_SHA") == head);
    CHECK(d.at("BRANCH") == "");
  }
  SECTION("no remote and no user.email: ACTOR from user.name, then $USER") {
    TempDir empty;
    IsolatedLibgit2Config isolated(empty.path().string());
    git(repo, "remote remove origin");
    git(repo, "config --unset user.email");
    Env d = detect_builtins(env, repo.string(), read_local_checkout);
    CHECK(d.at("REPO_URL") == "");
    CHECK(d.at("ACTOR") == "Dev Eloper");
    git(repo, "config --unset user.name");
    CHECK(detect_builtins(env, repo.string(), read_local_checkout).at("ACTOR") == "fallback-user");
  }
}

TEST_CASE("built-ins in a repository without commits", "[builtins][git]") {
  TempDir dir;
  git(dir.path(), "init -q -b trunk");
  Env b = detect_builtins({}, dir.path().string(), read_local_checkout);
  CHECK(b.at("BRANCH") == "trunk");
  CHECK(b.at("COMMIT_SHA") == "");
  CHECK(b.at("COMMIT_SHORT_SHA") == "");
}

TEST_CASE("built-ins outside any git checkout are empty, not an error", "[builtins][git]") {
  std::vector<std::string> asked;
  CheckoutReader none = [&asked](const std::string& cwd) -> std::optional<CheckoutFacts> {
    asked.push_back(cwd);
    return std::nullopt;
  };
  Env b = detect_builtins({{"USER", "someone"}}, "/work/app", none);
  CHECK(asked == std::vector<std::string>{"/work/app"});
  check_all_names_present(b);
  CHECK(b.at("CI_SYSTEM") == "local");
  CHECK(b.at("COMMIT_SHA") == "");
  CHECK(b.at("BRANCH") == "");
  CHECK(b.at("REPO_URL") == "");
  CHECK(b.at("PIPELINE_ID") == "local");
  CHECK(b.at("ACTOR") == "someone");
}

TEST_CASE("read_local_checkout outside any git checkout finds none", "[builtins][git]") {
  TempDir dir;
  // The temporary directory must not be inside a checkout, or this test would not test anything.
  INFO("TMPDIR must be outside any git checkout: " << dir.path());
  REQUIRE(std::system(("cd '" + dir.path().string() + "' && git rev-parse --git-dir >/dev/null 2>&1").c_str()) != 0);
  CHECK_FALSE(read_local_checkout(dir.path().string()).has_value());
  git(dir.path(), "init -q -b trunk");
  CHECK(read_local_checkout(dir.path().string()).has_value());
}

TEST_CASE("URL credentials are stripped and redacted", "[builtins]") {
  CHECK(strip_url_userinfo("https://user:secret@example.invalid/x.git") == "https://example.invalid/x.git");
  CHECK(strip_url_userinfo("https://ghp_token@github.com/o/r") == "https://github.com/o/r");
  CHECK(strip_url_userinfo("https://a:b@c@host:8443/p?q=1@x") == "https://host:8443/p?q=1@x");
  CHECK(strip_url_userinfo("https://example.invalid/x.git") == "https://example.invalid/x.git");
  CHECK(strip_url_userinfo("git@github.com:o/r.git") == "git@github.com:o/r.git");
  CHECK(strip_url_userinfo("") == "");
  CHECK(redact_url_userinfo("failed: https://u:p@h/x and ssh://git@h2/y, not a@b") ==
        "failed: https://u:********@h/x and ssh://git@h2/y, not a@b");
  CHECK(redact_url_userinfo("no urls here") == "no urls here");
}

TEST_CASE("libgit2 wrappers: owned handles and errors with libgit2's message", "[git]") {
  TempDir dir;
  auto missing = (dir.path() / "nope").string();
  try {
    git_make<git_repository>("cannot open repository", git_repository_open, missing.c_str());
    FAIL("expected an error");
  } catch (const GitError& e) {
    CHECK(e.git_code() == GIT_ENOTFOUND);
    CHECK(std::string(e.what()).rfind("cannot open repository: ", 0) == 0);
    CHECK(std::string(e.what()).find("nope") != std::string::npos);  // libgit2's own text names the path
  }
  CHECK(git_check(0, "fine") == 0);

  git(dir.path(), "init -q -b main");
  auto repo = git_make<git_repository>("cannot open repository", git_repository_open, dir.path().c_str());
  REQUIRE(repo);
  git_remote* raw = nullptr;
  git_check(git_remote_create(&raw, repo.get(), "origin", "https://u:tok3n@example.invalid/r.git"), "add origin");
  test::add_secret_input(dir / ".git" / "config");  // the credential in this remote URL is the test's input
  GitPtr<git_remote> remote(raw);
  GitStrArray names;
  git_check(git_remote_list(names.get(), repo.get()), "list remotes");
  REQUIRE(names.size() == 1);
  CHECK(names[0] == "origin");
  CHECK_THROWS_AS(git_check(git_remote_create(&raw, repo.get(), "origin", "https://x.invalid/r.git"), "add origin"),
                  GitError);  // already exists
  // A libgit2 message that carries a URL with credentials is redacted.
  git_error_set_str(GIT_ERROR_NET, "failed to connect to https://u:tok3n@example.invalid/r.git");
  try {
    git_check(-1, "cannot fetch");
    FAIL("expected an error");
  } catch (const GitError& e) {
    CHECK(std::string(e.what()) == "cannot fetch: failed to connect to https://u:********@example.invalid/r.git");
  }
}
