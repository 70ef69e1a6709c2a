#pragma once
// The GitLab example as a project's settings would hold it, for the GitLab CI tests: examples/gitlab/.gitlab-ci.yml
// and the example service committed in a GitlabProject, and the CI/CD variables the example documents.

#include <map>
#include <string>

#include "tests/support/example_registry.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/gitlab_ci_local.hpp"

namespace hoist::test {

// examples/gitlab/.gitlab-ci.yml and the example app (copy_example_app) in PROJECT, origin ORIGIN, committed.
// Returns the commit (what CI_COMMIT_SHA will be).
std::string commit_gitlab_example(GitlabProject& project, const std::string& origin);

// REGISTRY, HOIST_MANIFEST_REPO (GIT's "manifests"), HOIST_GIT_USERNAME and HOIST_GIT_PASSWORD, GITLAB_USER_LOGIN
// erin, GITLAB_CI true (gitlab-ci-local says false to mark a local run; GitLab says true), and the File variable
// REGISTRY_AUTH_FILE; EXTRA added to them.
void set_gitlab_example_variables(GitlabProject& project, const ExampleRegistry& registry, const GitServer& git,
                                  const std::map<std::string, std::string>& extra = {});

}  // namespace hoist::test
