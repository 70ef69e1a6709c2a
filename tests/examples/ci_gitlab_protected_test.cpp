// Hoist under GitLab CI with a protected production: examples/gitlab/.gitlab-ci.yml run unchanged by
// gitlab-ci-local, with the manifest repository's hoist.yaml saying `via: merge_request` for prod on GitLab (the
// GitLab test server: the documented merge request and commit status endpoints only). The git server refuses every
// push to master (a pre-receive hook). The manual prod job opens the merge request and fails on the gate (exit 3);
// after two approvals hoist/gate is success and the same job, played again, merges it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/support/example_manifests.hpp"
#include "tests/support/example_registry.hpp"
#include "tests/support/example_story_checks.hpp"
#include "tests/support/forge_server.hpp"
#include "tests/support/gitlab_ci_local.hpp"
#include "tests/support/gitlab_example.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

TEST_CASE("GitLab CI: the example .gitlab-ci.yml promotes a protected prod through a merge request", "[ci][forge]") {
  const std::string problem = gitlab_ci_local_problem();
  INFO(problem);
  REQUIRE(problem.empty());

  ExampleRegistry registry;
  GitServer git;
  ForgeServer gitlab(ForgeDialect::gitlab, git.repo_path("manifests"), "manifests");
  RepoSeed seed = example_manifest_seed(registry.host());
  std::string& policy = seed["master"]["hoist.yaml"];
  const std::string anchor = "    after: staging\n";
  policy.insert(policy.find(anchor) + anchor.size(),
                "    via: merge_request\n    forge: gitlab\n    forge_url: " + gitlab.api_url() + "\n");
  git.create_repo("manifests", seed);
  const auto hook = git.repo_path("manifests") / "hooks" / "pre-receive";
  std::ofstream(hook) << "#!/bin/sh\nwhile read o n ref; do [ \"$ref\" = refs/heads/master ] && "
                         "{ echo 'master is protected' >&2; exit 1; }; done; exit 0\n";
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);

  TempDir dir;
  GitlabProject project(dir.path());
  const std::string sha = commit_gitlab_example(project, "https://gitlab.example.com/acme-shop/api-gateway.git");
  set_gitlab_example_variables(project, registry, git, {{"GITLAB_TOKEN", gitlab.token()}});
  const auto prod_before = git.head("manifests", "master");

  CommandResult first = project.run({"--manual", "promote-staging", "--manual", "promote-prod"});
  INFO(first.out << first.err);
  CHECK_THAT(first.out, Catch::Contains("PASS  promote-staging"));
  CHECK_THAT(first.out, Catch::Contains("FAIL  promote-prod"));
  CHECK_THAT(first.out + first.err, Catch::Contains("opened GitLab merge request"));
  REQUIRE(gitlab.merge_requests().size() == 1);
  CHECK(gitlab.merge_requests()[0].target == "master");
  CHECK(git.head("manifests", "master") == prod_before);
  const std::string digest = check_example_image(registry, sha, "https://gitlab.example.com/acme-shop/api-gateway");
  const std::string branch = "hoist/promote/api-gateway/prod/" + digest.substr(7, 12);
  REQUIRE(git.head("manifests", branch));
  CHECK(gitlab.status_of(*git.head("manifests", branch)) == "failed");

  // The approvers' jobs reach the registry too (the gate checks that the tag names the digest there).
  const std::string auth = dir.file("auth.json");
  add_secret_input(auth);
  std::ofstream(auth) << registry.auth_json();
  for (const char* who : {"alice", "bob"}) {
    HoistRun a = hoist_as(who, git, "manifests", {"approve", "api-gateway", "--env", "prod", "--yes"},
                          {{"GITLAB_TOKEN", gitlab.token()}, {"REGISTRY_AUTH_FILE", auth}});
    INFO(a.out << a.err);
    REQUIRE(a.code == 0);
  }
  CHECK(gitlab.status_of(*git.head("manifests", branch)) == "success");

  CommandResult second = project.run({"promote-prod"});
  INFO(second.out << second.err);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("PASS  promote-prod"));
  REQUIRE(gitlab.merge_requests().size() == 1);
  CHECK(gitlab.merge_requests()[0].state == "merged");
  check_runs(git, "master", "prod", sha.substr(0, 8), digest);
  check_prod_promotion(git, digest, "erin");
  CHECK(gitlab.refusals().empty());
}
