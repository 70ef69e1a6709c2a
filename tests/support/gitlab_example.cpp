// See gitlab_example.hpp.
#include "tests/support/gitlab_example.hpp"

#include "tests/support/example_app.hpp"

namespace hoist::test {

std::string commit_gitlab_example(GitlabProject& project, const std::string& origin) {
  project.copy_from_source("examples/gitlab/.gitlab-ci.yml", ".gitlab-ci.yml");
  copy_example_app(project.path());
  project.set_origin(origin);
  return project.commit();
}

void set_gitlab_example_variables(GitlabProject& project, const ExampleRegistry& registry, const GitServer& git,
                                  const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> variables{{"REGISTRY", registry.host()},
                                               {"HOIST_MANIFEST_REPO", git.url("manifests")},
                                               {"HOIST_GIT_USERNAME", git.username()},
                                               {"HOIST_GIT_PASSWORD", git.password()},
                                               {"GITLAB_USER_LOGIN", "erin"},
                                               {"GITLAB_CI", "true"}};
  variables.insert(extra.begin(), extra.end());
  project.set_variables(variables, {{"REGISTRY_AUTH_FILE", registry.auth_json()}});
}

}  // namespace hoist::test
