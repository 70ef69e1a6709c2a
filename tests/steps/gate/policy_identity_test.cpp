// Who is running Hoist: only the CI system actually running the job speaks (GitLab, Bitbucket with UUIDs mapped
// through the policy, GitHub), else git's user.email / user.name, else $USER. Variables of a CI system that is not
// detected are anybody's to set and name nobody.
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/gate/identity.hpp"

using namespace hoist;
using namespace hoist::promote;

namespace {

const Policy& policy() {
  static const Policy p = load_policy(R"(environments:
  qa: {branch: qa, file: q.yaml}
identities: {"{11111111-2222-3333-4444-555555555555}": dave}
)",
                                      "hoist.yaml");
  return p;
}

std::string identity(std::map<std::string, std::string> env, std::string git = "") {
  return current_identity(env, policy(), [&] { return git; });
}

const std::map<std::string, std::string> kAll = {{"GITLAB_USER_LOGIN", "gl-user"},
                                                 {"BITBUCKET_STEP_TRIGGERER_UUID",
                                                  "{11111111-2222-3333-4444-555555555555}"},
                                                 {"GITHUB_ACTOR", "gh-user"},
                                                 {"GITHUB_TRIGGERING_ACTOR", "gh-rerun"},
                                                 {"USER", "login"}};

}  // namespace

TEST_CASE("identity: the detected CI system names who runs the job", "[policy]") {
  auto gitlab = kAll;
  gitlab["GITLAB_CI"] = "true";
  CHECK(identity(gitlab, "git@example.com") == "gl-user");
  auto bitbucket = kAll;
  bitbucket["BITBUCKET_BUILD_NUMBER"] = "12";
  CHECK(identity(bitbucket, "git@example.com") == "dave");
  auto github = kAll;
  github["GITHUB_ACTIONS"] = "true";
  CHECK(identity(github, "git@example.com") == "gh-rerun");  // a re-run is the triggering actor's
  CHECK(builder_identities(github, [] { return std::string("git@example.com"); }) ==
        std::vector<std::string>{"gh-rerun", "gh-user"});
  github.erase("GITHUB_TRIGGERING_ACTOR");
  CHECK(identity(github, "git@example.com") == "gh-user");
}

TEST_CASE("identity: CI variables without their CI system name nobody, then git, then USER", "[policy]") {
  CHECK(identity(kAll, "git@example.com") == "git@example.com");
  CHECK(identity(kAll, "") == "login");
  auto not_gitlab = kAll;
  not_gitlab["GITLAB_CI"] = "false";  // what gitlab-ci-local says, and anybody can
  CHECK(identity(not_gitlab, "git@example.com") == "git@example.com");
  CHECK(builder_identities(kAll, [] { return std::string(); }) == std::vector<std::string>{"login"});
}

TEST_CASE("identity: a detected CI system that names nobody, or nothing at all, is an input error", "[policy]") {
  CHECK_THROWS_WITH(identity({{"GITLAB_CI", "true"}, {"USER", "login"}}, "git@example.com"),
                    Catch::Contains("GitLab CI is running this job but does not name its user"));
  CHECK_THROWS_AS(identity({}), InputError);
}

TEST_CASE("identity: an unmapped Bitbucket UUID is used as it is", "[policy]") {
  CHECK(identity({{"BITBUCKET_BUILD_NUMBER", "1"}, {"BITBUCKET_STEP_TRIGGERER_UUID", "{abc}"}}) == "{abc}");
}

TEST_CASE("identity: the commit author follows the detected CI system, one e-mail domain otherwise", "[policy]") {
  CHECK(commit_author("erin", {{"GITLAB_CI", "true"}, {"GITLAB_USER_NAME", "Erin E"},
                               {"GITLAB_USER_EMAIL", "erin@corp.example"}}) ==
        std::pair<std::string, std::string>{"Erin E", "erin@corp.example"});
  CHECK(commit_author("erin", {{"GITLAB_USER_NAME", "Mallory"}, {"GITLAB_USER_EMAIL", "m@evil.example"}}) ==
        std::pair<std::string, std::string>{"erin", "erin@users.noreply.hoist"});
  CHECK(commit_author("dev@example.com", {}) == std::pair<std::string, std::string>{"dev@example.com", "dev@example.com"});
}

TEST_CASE("identity: git's configuration is read through the git client without failing", "[policy]") {
  // Whatever this machine's git configuration says; it must not throw, and a detected CI system still comes first.
  CHECK_NOTHROW(git_user_identity());
  CHECK(current_identity({{"GITHUB_ACTIONS", "true"}, {"GITHUB_ACTOR", "octocat"}}, policy(),
                         [] { return git_user_identity(); }) == "octocat");
}
