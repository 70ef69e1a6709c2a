// See promote_fixture.hpp.
#include "tests/support/promote_fixture.hpp"


namespace hoist::test {

HoistRun hoist_as(const std::string& user, const GitServer& git, const std::string& repo,
                  const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> all = env;
  all.insert({{"GITLAB_USER_LOGIN", user},
              {"HOIST_MANIFEST_REPO", git.url(repo)},
              {"HOIST_GIT_USERNAME", git.username()},
              {"HOIST_GIT_PASSWORD", git.password()}});
  return run_hoist(args, all);
}

}  // namespace hoist::test
