// Hoist under GitLab CI: examples/gitlab/.gitlab-ci.yml and pipelines/api-gateway.yaml, the files that ship, run
// unchanged by gitlab-ci-local against a real registry and a real git server (both with basic auth). Only CI/CD
// variables are set, as a project's settings would: REGISTRY, REGISTRY_AUTH_FILE (a File variable holding docker's
// config.json), HOIST_MANIFEST_REPO, HOIST_GIT_USERNAME and HOIST_GIT_PASSWORD. The build job tests, builds and
// pushes the image tagged with the commit SHA and bumps qa; the manual staging job promotes; the manual prod job
// fails on the gate (exit 3) until two people approve, then promotes the same digest.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include "tests/support/example_manifests.hpp"
#include "tests/support/example_registry.hpp"
#include "tests/support/example_story_checks.hpp"
#include "tests/support/gitlab_ci_local.hpp"
#include "tests/support/gitlab_example.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;
namespace fs = std::filesystem;

namespace {

const std::string kProjectUrl = "https://gitlab.example.com/acme-shop/api-gateway";

// gitlab-ci-local's summary line for JOB ("promote-prod    finished in 428 ms  FAIL 3"), or "" when there is none.
std::string finished_line(const std::string& output, const std::string& job) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(job + " ", 0) == 0 && line.find(" finished in ") != std::string::npos) return line;
  return {};
}

// What gitlab-ci-local keeps under .gitlab-ci-local/: job logs (output/JOB.log) and artifacts.
fs::path state_dir(const GitlabProject& project) { return project.path() / ".gitlab-ci-local"; }

}  // namespace

TEST_CASE("GitLab CI: the example .gitlab-ci.yml builds and pushes the image, bumps qa, promotes, and gates prod",
          "[ci]") {
  const std::string problem = gitlab_ci_local_problem();
  INFO(problem);
  REQUIRE(problem.empty());

  ExampleRegistry registry;
  GitServer git;
  git.create_repo("manifests", example_manifest_seed(registry.host()));
  TempDir dir;
  GitlabProject project(dir.path());
  const std::string sha = commit_gitlab_example(project, kProjectUrl + ".git");
  const std::string short_sha = sha.substr(0, 8);
  set_gitlab_example_variables(project, registry, git);
  const auto prod_before = git.head("manifests", "master");

  // The whole pipeline, with both manual jobs started: prod must fail on Hoist's gate.
  CommandResult first = project.run({"--manual", "promote-staging", "--manual", "promote-prod"});
  INFO(first.out << first.err);
  CHECK(first.exit_code != 0);
  CHECK_THAT(first.out, Catch::Contains("PASS  build-deploy-qa"));
  CHECK_THAT(first.out, Catch::Contains("PASS  promote-staging"));
  CHECK_THAT(first.out, Catch::Contains("FAIL  promote-prod"));
  CHECK_THAT(finished_line(first.out + first.err, "promote-prod"), Catch::Contains(" FAIL 3"));  // Hoist's exit code
  CHECK_THAT(first.out + first.err, Catch::Contains("0 of 2 approvals"));

  // The image, as skopeo sees it: tagged with the commit SHA (and its short form), labelled with the commit.
  const std::string digest = check_example_image(registry, sha, kProjectUrl);  // source: CI_PROJECT_URL

  // qa runs that tag and digest; GitLab's built-ins are in the commit.
  check_runs(git, "qa", "qa", short_sha, digest);
  const std::string qa_message = git.message("manifests", "qa");
  CHECK_THAT(qa_message, Catch::Contains("Hoist-Image-Digest: " + digest + "\n"));
  CHECK_THAT(qa_message, Catch::Contains("Hoist-Source-Commit: " + sha + "\n"));
  CHECK_THAT(qa_message, Catch::Contains("Hoist-Pipeline: " + kProjectUrl + "/pipelines/"));
  CHECK_THAT(qa_message, Catch::Contains("Hoist-Actor: erin\n"));

  // The reports: JUnit with a test case per step (shell jobs run in the project; gitlab-ci-local keeps no copy), and
  // the dotenv artifact that hands the digest to later jobs.
  const std::string junit = read_file((project.path() / "report.xml").string());
  for (const char* step : {"test", "image", "deploy-qa"})
    CHECK_THAT(junit, Catch::Contains("classname=\"api-gateway\" name=\"" + std::string(step) + "\""));
  const fs::path reports = state_dir(project) / "artifacts" / "build-deploy-qa" / ".gitlab-ci-reports";
  CHECK_THAT(read_file((reports / "dotenv" / "build.env").string()), Catch::Contains("IMAGE_DIGEST=" + digest + "\n"));
  // The staging job got it: `--digest "$IMAGE_DIGEST"` (empty would be exit 2) promoted exactly that digest.
  CHECK_THAT(read_file((state_dir(project) / "output" / "promote-staging.log").string()),
             Catch::Contains("staging runs " + short_sha + " (" + digest + ")"));
  check_runs(git, "staging", "staging", short_sha, digest);
  CHECK_THAT(git.message("manifests", "staging"), Catch::Contains("Hoist-Promoted-By: erin\n"));
  CHECK(git.head("manifests", "master") == prod_before);

  // Two approvers, then the manual prod job alone, as someone presses "play" again.
  std::map<std::string, std::string> printed = {{"first run", first.out + first.err}};
  for (const char* who : {"alice", "bob"}) {
    HoistRun a = hoist_as(who, git, "manifests", {"approve", "api-gateway", "--env", "prod", "--yes"});
    INFO(a.out << a.err);
    REQUIRE(a.code == 0);
    printed[std::string("approval by ") + who] = a.all();
  }
  CommandResult second = project.run({"promote-prod"});
  INFO(second.out << second.err);
  CHECK(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("PASS  promote-prod"));
  printed["second run"] = second.out + second.err;
  check_runs(git, "master", "prod", short_sha, digest);
  check_prod_promotion(git, digest, "erin");

  // No credential in what the jobs printed, in gitlab-ci-local's logs and artifacts, in the reports the jobs wrote,
  // in the caches under HOME, in the manifest repository or the registry's storage; and no copy of the auth file
  // left under /tmp.
  printed["report.xml"] = junit;
  printed["build.env"] = read_file((project.path() / "build.env").string());
  std::vector<fs::path> trees = {state_dir(project), dir / "home"};
  for (const auto& entry : fs::directory_iterator("/tmp"))
    if (entry.path().filename().string().rfind("gitlab-ci-local-file-variables-", 0) == 0) trees.push_back(entry.path());
  const auto leaks = example_leaks(git, registry, printed, trees);
  INFO(Catch::Detail::stringify(leaks));
  CHECK(leaks.empty());
}

TEST_CASE("GitLab CI: the merge-request lint job validates the pipeline without any CI/CD variable", "[ci]") {
  const std::string problem = gitlab_ci_local_problem();
  INFO(problem);
  REQUIRE(problem.empty());

  TempDir dir;
  GitlabProject project(dir.path());
  commit_gitlab_example(project, kProjectUrl + ".git");
  // No set_variables: a merge request from a fork gets neither REGISTRY nor the credentials.
  CommandResult lint = project.run({"--variable", "CI_PIPELINE_SOURCE=merge_request_event", "lint"});
  INFO(lint.out << lint.err);
  CHECK(lint.exit_code == 0);
  CHECK_THAT(lint.out, Catch::Contains("PASS  lint"));
  CHECK_THAT(lint.out, Catch::Contains("pipelines/api-gateway.yaml: ok (3 steps; given at run time: MANIFEST_REPO, "
                                       "REGISTRY)"));
}
