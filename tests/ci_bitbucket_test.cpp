// Hoist under Bitbucket Pipelines: the hoist binary runs with the variables exactly as Bitbucket sets them, on a
// pipeline that bumps the example manifest repository on the real git server; then the main-branch steps of
// examples/bitbucket/bitbucket-pipelines.yml run in order (their scripts in bash, as Bitbucket runs them), with the
// manual production step refused by the gate until two approvals. Checks the built-ins where users see them: the
// commit message and its trailers, the dotenv file, promoter and approvers mapped from triggerer UUIDs through
// hoist.yaml's `identities`.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "runner/subprocess.hpp"
#include "tests/support/command.hpp"
#include "tests/support/example_manifests.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;
namespace fs = std::filesystem;

namespace {

const std::string kCommit = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
// The UUIDs examples/manifests/hoist.yaml maps to alice, bob and erin.
const std::string kAlice = "{4a1e9c2b-0d3f-4c5a-9b7e-1f2a3b4c5d6e}";
const std::string kBob = "{b7c8d9e0-1a2b-4c3d-8e9f-0a1b2c3d4e5f}";
const std::string kErin = "{e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b}";

struct Run {
  int code = -1;
  std::string out, err;
};

// The environment of a Bitbucket Pipelines step (build 4711 of acme-shop/api-gateway on main), triggered by
// TRIGGERER, deploying to DEPLOYMENT (none when empty), with the repository variables of the example.
std::map<std::string, std::string> bitbucket_env(const GitServer& git, const std::string& triggerer,
                                                 const std::string& deployment = "") {
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/local/bin:/usr/bin:/bin"},
      {"HOME", "/tmp"},
      {"CI", "true"},
      {"BITBUCKET_BUILD_NUMBER", "4711"},
      {"BITBUCKET_COMMIT", kCommit},
      {"BITBUCKET_BRANCH", "main"},
      {"BITBUCKET_REPO_SLUG", "api-gateway"},
      {"BITBUCKET_REPO_FULL_NAME", "acme-shop/api-gateway"},
      {"BITBUCKET_WORKSPACE", "acme-shop"},
      {"BITBUCKET_STEP_TRIGGERER_UUID", triggerer},
      {"BITBUCKET_GIT_HTTP_ORIGIN", "http://bitbucket.org/acme-shop/api-gateway"},
      {"BITBUCKET_PIPELINE_UUID", "{2d5c1a44-93b1-4f0e-a7c2-5e8d9f0a1b2c}"},
      {"BITBUCKET_STEP_UUID", "{8f7e6d5c-4b3a-4291-8e7f-6a5b4c3d2e1f}"},
      {"BITBUCKET_CLONE_DIR", HOIST_SOURCE_DIR},
      {"HOIST_MANIFEST_REPO", git.url("manifests")},
      {"HOIST_GIT_USERNAME", git.username()},
      {"HOIST_GIT_PASSWORD", git.password()}};
  if (!deployment.empty()) env["BITBUCKET_DEPLOYMENT_ENVIRONMENT"] = deployment;
  return env;
}

Run hoist_bb(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  ProcessSpec spec;
  spec.argv = {HOIST_BINARY};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = env;
  spec.working_dir = HOIST_SOURCE_DIR;
  spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  Run r;
  CancelToken never;
  auto res = PosixProcessRunner().run(spec, [&](std::string_view line, OutputStream s) {
    (s == OutputStream::out ? r.out : r.err) += std::string(line) + "\n";
  }, never);
  r.code = res.exit_code;
  return r;
}

std::string message_of(const GitServer& git, const std::string& ref) {
  return run_command(git_command({"--git-dir=" + git.repo_path("manifests").string(), "log", "-1", "--format=%B", ref}))
      .out;
}

// A pipeline that prints every built-in on one line.
std::string write_show_pipeline(const TempDir& dir) {
  const std::string path = dir.file("show.yaml");
  std::ofstream(path) << "version: 1\nname: show\nsteps:\n  - id: show\n    run: |\n"
                         "      echo \"seen: ${CI_SYSTEM} ${COMMIT_SHA} ${COMMIT_SHORT_SHA} ${BRANCH} "
                         "${PIPELINE_ID} ${PIPELINE_URL} ${ACTOR} ${REPO_URL} ${DEPLOY_ENVIRONMENT}\"\n";
  return path;
}

std::string sha256_hex(const std::string& text) {
  Command c{{"sha256sum"}, {}, {}, "", text};
  return run_command(c).out.substr(0, 64);
}


// One step of bitbucket-pipelines.yml: what this test needs to run it as Bitbucket would.
struct BitbucketStep {
  std::string name, deployment, trigger;
  std::string script;  // the script's commands, one per line
};

// The steps of pipelines.branches.BRANCH in order, `<<:` merge keys applied by hand (yaml-cpp keeps them as keys).
std::vector<BitbucketStep> bitbucket_steps(const fs::path& file, const std::string& branch) {
  const YAML::Node doc = YAML::LoadFile(file.string());
  std::vector<BitbucketStep> out;
  for (const auto& item : doc["pipelines"]["branches"][branch]) {
    const YAML::Node step = item["step"];
    auto field = [&](const char* key) {
      if (step[key]) return step[key];
      return step["<<"] ? step["<<"][key] : YAML::Node();
    };
    BitbucketStep s;
    if (auto n = field("name")) s.name = n.as<std::string>();
    if (auto n = field("deployment")) s.deployment = n.as<std::string>();
    if (auto n = field("trigger")) s.trigger = n.as<std::string>();
    for (const auto& command : field("script")) s.script += command.as<std::string>() + "\n";
    out.push_back(s);
  }
  return out;
}

// Runs STEP's script in CLONE as Bitbucket does (bash, stop at the first failing command), triggered by TRIGGERER,
// with HOIST_PIPELINE pointing at the pipeline without image/build and the hoist under test in PATH.
CommandResult run_step(const BitbucketStep& step, const fs::path& clone, const GitServer& git,
                       const std::string& triggerer) {
  Command c;
  c.argv = {"bash", "-e", "-o", "pipefail", "-c", step.script};
  c.set_env = bitbucket_env(git, triggerer, step.deployment);
  c.set_env["BITBUCKET_CLONE_DIR"] = clone.string();
  c.set_env["HOIST_PIPELINE"] = "tests/data/ci/deploy.yaml";
  c.set_env["PATH"] = fs::path(HOIST_BINARY).parent_path().string() + ":/usr/local/bin:/usr/bin:/bin";
  c.unset_env = {"GITLAB_CI", "GITHUB_ACTIONS", "GITLAB_USER_LOGIN", "BITBUCKET_TAG"};
  c.working_dir = clone.string();
  return run_command(c);
}

}  // namespace

TEST_CASE("Bitbucket Pipelines: built-ins in the bump commit, its trailers, the dotenv file and a pipeline's view",
          "[ci]") {
  GitServer git;
  git.create_repo("manifests", example_manifest_seed());
  TempDir dir;
  const std::string digest = "sha256:" + sha256_hex(kCommit);
  const std::string pipeline_url = "https://bitbucket.org/acme-shop/api-gateway/pipelines/results/4711";

  // The default step: hoist run, with MANIFEST_REPO from the repository variable, as the example file does.
  Run build = hoist_bb({"run", "tests/data/ci/deploy.yaml", "--var", "MANIFEST_REPO=" + git.url("manifests"),
                        "--dotenv", dir.file("build.env"), "--junit", dir.file("hoist.xml")},
                       bitbucket_env(git, kErin, "qa"));
  INFO(build.out << build.err);
  REQUIRE(build.code == 0);
  const std::string qa = *git.read_file("manifests", "qa", "api-gateway/qa.values.yaml");
  CHECK_THAT(qa, Catch::Contains("tag: \"9f8e7d6c\""));  // COMMIT_SHORT_SHA: 8 characters
  CHECK_THAT(qa, Catch::Contains("digest: \"" + digest + "\""));

  const std::string message = message_of(git, "qa");
  CHECK_THAT(message, Catch::Contains("\n" + pipeline_url + "\n"));  // the link in the body
  CHECK_THAT(message, Catch::Contains("Hoist-Source-Commit: " + kCommit + "\n"));
  CHECK_THAT(message, Catch::Contains("Hoist-Pipeline: " + pipeline_url + "\n"));
  CHECK_THAT(message, Catch::Contains("Hoist-Actor: " + kErin + "\n"));
  CHECK_THAT(message, Catch::Contains("Hoist-Image-Digest: " + digest + "\n"));

  const std::string dotenv = read_file(dir.file("build.env"));
  CHECK_THAT(dotenv, Catch::Contains("IMAGE_DIGEST=" + digest + "\n"));
  CHECK_THAT(dotenv, Catch::Contains("DEPLOY_QA_COMMIT=" + *git.head("manifests", "qa") + "\n"));
  CHECK_THAT(dotenv, Catch::Contains("DEPLOY_QA_NEW=9f8e7d6c\n"));
  CHECK_THAT(read_file(dir.file("hoist.xml")), Catch::Contains("<testcase"));
  for (const auto& text : {build.out, build.err, dotenv, message})
    CHECK(text.find(git.password()) == std::string::npos);

  // The built-ins a pipeline sees, DEPLOY_ENVIRONMENT included.
  const std::string show = write_show_pipeline(dir);
  Run seen = hoist_bb({"run", show}, bitbucket_env(git, kErin, "staging"));
  INFO(seen.out << seen.err);
  CHECK(seen.code == 0);
  CHECK_THAT(seen.out, Catch::Contains("seen: bitbucket " + kCommit + " 9f8e7d6c main 4711 " + pipeline_url + " " +
                                       kErin + " http://bitbucket.org/acme-shop/api-gateway staging"));
}

TEST_CASE("Bitbucket Pipelines: the example file's main-branch steps, run in order, promote through the gate",
          "[ci]") {
  GitServer git;
  git.create_repo("manifests", example_manifest_seed());
  TempDir dir;
  const fs::path clone = dir / "clone";  // $BITBUCKET_CLONE_DIR: the app repository, shared by the steps
  for (const std::string path : {"tests/data/ci/deploy.yaml", "examples/api-gateway"}) {
    fs::create_directories((clone / path).parent_path());
    Command cp;
    cp.argv = {"cp", "-a", (fs::path(HOIST_SOURCE_DIR) / path).string(), (clone / path).string()};
    REQUIRE(run_command(cp).ok());
  }
  const auto steps = bitbucket_steps(fs::path(HOIST_SOURCE_DIR) / "examples/bitbucket/bitbucket-pipelines.yml", "main");
  REQUIRE(steps.size() == 3);
  CHECK((steps[0].deployment == "qa" && steps[0].trigger.empty()));
  CHECK((steps[1].deployment == "staging" && steps[1].trigger == "manual"));
  CHECK((steps[2].deployment == "production" && steps[2].trigger == "manual"));
  const std::string digest = "sha256:" + sha256_hex(kCommit);

  CommandResult build = run_step(steps[0], clone, git, kErin);
  INFO(build.out << build.err);
  REQUIRE(build.exit_code == 0);
  CHECK_THAT(*git.read_file("manifests", "qa", "api-gateway/qa.values.yaml"), Catch::Contains(digest));
  CHECK_THAT(read_file((clone / "test-results" / "hoist.xml").string()), Catch::Contains("name=\"deploy-qa\""));

  CommandResult staging = run_step(steps[1], clone, git, kErin);
  INFO(staging.out << staging.err);
  REQUIRE(staging.exit_code == 0);
  CHECK_THAT(*git.read_file("manifests", "staging", "api-gateway/staging.values.yaml"), Catch::Contains(digest));
  CHECK_THAT(message_of(git, "staging"), Catch::Contains("Hoist-Promoted-By: erin\n"));  // the UUID, mapped
  CHECK_THAT(message_of(git, "staging"),
             Catch::Contains("Hoist-Pipeline: https://bitbucket.org/acme-shop/api-gateway/pipelines/results/4711"));

  // Production without approvals: the gate refuses, the step fails, nothing changes.
  const auto prod_before = git.head("manifests", "master");
  CommandResult refused = run_step(steps[2], clone, git, kErin);
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Catch::Contains("0 of 2 approvals"));
  CHECK(git.head("manifests", "master") == prod_before);

  for (const auto& [uuid, name] : {std::pair{kAlice, "alice"}, std::pair{kBob, "bob"}}) {
    Run a = hoist_bb({"approve", "api-gateway", "--env", "prod", "--yes"}, bitbucket_env(git, uuid));
    INFO(a.out << a.err);
    CHECK(a.code == 0);
    CHECK_THAT(a.out, Catch::Contains(std::string("into prod as ") + name));
  }
  CommandResult prod = run_step(steps[2], clone, git, kErin);  // "Redeploy"
  INFO(prod.out << prod.err);
  REQUIRE(prod.exit_code == 0);
  CHECK_THAT(*git.read_file("manifests", "master", "api-gateway/prod.values.yaml"), Catch::Contains(digest));
  const std::string prod_message = message_of(git, "master");
  CHECK_THAT(prod_message, Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob\n"));
  CHECK_THAT(prod_message, Catch::Contains("Hoist-Promoted-By: erin\n"));
  for (const auto& text : {build.out, build.err, staging.out, prod.out, prod.err})
    CHECK(text.find(git.password()) == std::string::npos);
}
