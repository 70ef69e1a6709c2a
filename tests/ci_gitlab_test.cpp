// Hoist under GitLab CI: examples/gitlab/.gitlab-ci.yml, unchanged, run by gitlab-ci-local against the real git
// server. Only HOIST_PIPELINE is overridden (tests/data/ci/deploy.yaml: the example pipeline without image/build), as
// a project variable would. The build job bumps qa; the manual staging job promotes; the manual prod job fails on the
// gate (exit 3) until two people approve, then promotes.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/support/example_manifests.hpp"
#include "tests/support/gitlab_ci_local.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

std::string message_of(const GitServer& git, const std::string& ref) {
  return run_command(git_command({"--git-dir=" + git.repo_path("manifests").string(), "log", "-1", "--format=%B", ref}))
      .out;
}

std::string sha256_hex(const std::string& text) {
  return run_command(Command{{"sha256sum"}, {}, {}, "", text}).out.substr(0, 64);
}

}  // namespace

TEST_CASE("GitLab CI: the example .gitlab-ci.yml under gitlab-ci-local bumps qa, promotes, and gates prod", "[ci]") {
  const std::string problem = gitlab_ci_local_problem();
  INFO(problem);
  REQUIRE(problem.empty());

  GitServer git;
  git.create_repo("manifests", example_manifest_seed());
  TempDir dir;
  GitlabProject project(dir.path());
  project.copy_from_source("examples/gitlab/.gitlab-ci.yml", ".gitlab-ci.yml");
  project.copy_from_source("tests/data/ci/deploy.yaml", "tests/data/ci/deploy.yaml");
  project.copy_from_source("examples/api-gateway", "examples/api-gateway");
  const std::string sha = project.commit();
  project.set_variables({{"HOIST_PIPELINE", "tests/data/ci/deploy.yaml"},
                         {"HOIST_MANIFEST_REPO", git.url("manifests")},
                         {"HOIST_GIT_USERNAME", git.username()},
                         {"HOIST_GIT_PASSWORD", git.password()},
                         {"GITLAB_USER_LOGIN", "erin"},
                         // gitlab-ci-local says GITLAB_CI=false to mark a local run; GitLab says true.
                         {"GITLAB_CI", "true"}});
  const std::string digest = "sha256:" + sha256_hex(sha);
  const auto prod_before = git.head("manifests", "master");

  // The whole pipeline, with both manual jobs started: prod must fail on the gate.
  CommandResult first = project.run({"--manual", "promote-staging", "--manual", "promote-prod"});
  INFO(first.out << first.err);
  CHECK(first.exit_code != 0);
  CHECK_THAT(first.out, Catch::Contains("PASS  build-deploy-qa"));
  CHECK_THAT(first.out, Catch::Contains("PASS  promote-staging"));
  CHECK_THAT(first.out, Catch::Contains("FAIL  promote-prod"));
  CHECK_THAT(first.out + first.err, Catch::Contains("0 of 2 approvals"));
  CHECK(first.out.find(git.password()) == std::string::npos);
  CHECK(first.err.find(git.password()) == std::string::npos);

  // qa has this commit's tag and digest, with GitLab's built-ins in the commit.
  const std::string qa = *git.read_file("manifests", "qa", "api-gateway/qa.values.yaml");
  CHECK_THAT(qa, Catch::Contains("tag: \"" + sha.substr(0, 8) + "\""));
  CHECK_THAT(qa, Catch::Contains("digest: \"" + digest + "\""));
  const std::string qa_message = message_of(git, "qa");
  CHECK_THAT(qa_message, Catch::Contains("Hoist-Source-Commit: " + sha + "\n"));
  CHECK_THAT(qa_message, Catch::Contains("Hoist-Actor: erin\n"));
  // The reports: JUnit (shell jobs run in the project), and the dotenv artifact the promote jobs got IMAGE_DIGEST from.
  CHECK_THAT(read_file((project.path() / "report.xml").string()),
             Catch::Contains("classname=\"api-gateway\" name=\"deploy-qa\""));
  const auto reports = project.path() / ".gitlab-ci-local" / "artifacts" / "build-deploy-qa" / ".gitlab-ci-reports";
  CHECK_THAT(read_file((reports / "dotenv" / "build.env").string()), Catch::Contains("IMAGE_DIGEST=" + digest + "\n"));

  // staging runs it; prod is unchanged.
  CHECK_THAT(*git.read_file("manifests", "staging", "api-gateway/staging.values.yaml"), Catch::Contains(digest));
  CHECK_THAT(message_of(git, "staging"), Catch::Contains("Hoist-Promoted-By: erin\n"));
  CHECK(git.head("manifests", "master") == prod_before);

  // Two approvers, then the manual prod job alone, as someone presses "play" again.
  for (const char* who : {"alice", "bob"}) {
    HoistRun a = hoist_as(who, git, "manifests", {"approve", "api-gateway", "--env", "prod", "--yes"});
    INFO(a.out << a.err);
    REQUIRE(a.code == 0);
  }
  CommandResult second = project.run({"promote-prod"});
  INFO(second.out << second.err);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("PASS  promote-prod"));
  CHECK_THAT(*git.read_file("manifests", "master", "api-gateway/prod.values.yaml"), Catch::Contains(digest));
  const std::string prod_message = message_of(git, "master");
  CHECK_THAT(prod_message, Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob\n"));
  CHECK_THAT(prod_message, Catch::Contains("Hoist-Promoted-By: erin\n"));
}
