// Who is running Hoist: CI variables first (Bitbucket UUIDs mapped through the policy), then git, then $USER.
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/promote/identity.hpp"

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

}  // namespace

TEST_CASE("identity: CI variables win, in order", "[policy]") {
  const std::map<std::string, std::string> all = {{"GITLAB_USER_LOGIN", "gl-user"},
                                                  {"BITBUCKET_STEP_TRIGGERER_UUID",
                                                   "{11111111-2222-3333-4444-555555555555}"},
                                                  {"GITHUB_ACTOR", "gh-user"},
                                                  {"USER", "login"}};
  CHECK(identity(all, "git@example.com") == "gl-user");
  auto env = all;
  env.erase("GITLAB_USER_LOGIN");
  CHECK(identity(env, "git@example.com") == "dave");
  env.erase("BITBUCKET_STEP_TRIGGERER_UUID");
  CHECK(identity(env, "git@example.com") == "gh-user");
  env.erase("GITHUB_ACTOR");
  CHECK(identity(env, "git@example.com") == "git@example.com");
  CHECK(identity(env, "") == "login");
}

TEST_CASE("identity: an unmapped Bitbucket UUID is used as it is, empty variables are unset", "[policy]") {
  CHECK(identity({{"GITLAB_USER_LOGIN", ""}, {"BITBUCKET_STEP_TRIGGERER_UUID", "{abc}"}}) == "{abc}");
}

TEST_CASE("identity: nothing known is an input error", "[policy]") {
  CHECK_THROWS_AS(identity({}), InputError);
}

TEST_CASE("identity: the default reads git's configuration without failing", "[policy]") {
  // Whatever this machine's git configuration says; it must not throw, and CI variables still come first.
  CHECK_NOTHROW(git_config_identity());
  CHECK(current_identity({{"GITHUB_ACTOR", "octocat"}}, policy()) == "octocat");
}
