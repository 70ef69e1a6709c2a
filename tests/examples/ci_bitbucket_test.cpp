// Hoist under Bitbucket Pipelines: the main-branch steps of examples/bitbucket/bitbucket-pipelines.yml run in order,
// their scripts in bash as Bitbucket runs them, with the BITBUCKET_* variables exactly as Bitbucket sets them for
// each step (the deployment environment, the triggerer of each manual step), running the example pipeline
// (pipelines/api-gateway.yaml) against a real registry and a real git server, both with basic auth. Checks the
// built-ins where users see them: the image's labels (read by skopeo), the bump commit and its trailers, the dotenv
// and JUnit files, promoter and approvers mapped from triggerer UUIDs through hoist.yaml's `identities`.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "runner/process/process.hpp"
#include "tests/support/command.hpp"
#include "tests/support/example_app.hpp"
#include "tests/support/example_manifests.hpp"
#include "tests/support/example_registry.hpp"
#include "tests/support/example_story_checks.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;
namespace fs = std::filesystem;

namespace {

const std::string kCommit = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
const std::string kShortCommit = "9f8e7d6c";  // COMMIT_SHORT_SHA: 8 characters
const std::string kOrigin = "http://bitbucket.org/acme-shop/api-gateway";  // BITBUCKET_GIT_HTTP_ORIGIN says http
const std::string kPipelineUrl = "https://bitbucket.org/acme-shop/api-gateway/pipelines/results/4711";
// The UUIDs examples/manifests/hoist.yaml maps to alice, bob, carol and erin.
const std::string kAlice = "{4a1e9c2b-0d3f-4c5a-9b7e-1f2a3b4c5d6e}";
const std::string kBob = "{b7c8d9e0-1a2b-4c3d-8e9f-0a1b2c3d4e5f}";
const std::string kCarol = "{0c9d8e7f-6a5b-4c3d-9e2f-1a0b9c8d7e6f}";
const std::string kErin = "{e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b}";

using Env = std::map<std::string, std::string>;

// What Bitbucket Pipelines sets in a step of build 4711 of acme-shop/api-gateway on main, cloned into CLONE,
// triggered by TRIGGERER, deploying to DEPLOYMENT (a deployment step only when not empty); HOME is the step's.
Env bitbucket_variables(const fs::path& clone, const fs::path& home, const std::string& triggerer,
                        const std::string& deployment = "") {
  Env env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
             {"HOME", home.string()},
             {"CI", "true"},
             {"BITBUCKET_BUILD_NUMBER", "4711"},
             {"BITBUCKET_CLONE_DIR", clone.string()},
             {"BITBUCKET_COMMIT", kCommit},
             {"BITBUCKET_BRANCH", "main"},
             {"BITBUCKET_WORKSPACE", "acme-shop"},
             {"BITBUCKET_REPO_SLUG", "api-gateway"},
             {"BITBUCKET_REPO_FULL_NAME", "acme-shop/api-gateway"},
             {"BITBUCKET_REPO_UUID", "{7d3b2a10-5c4e-4f6a-9b8c-1d2e3f4a5b6c}"},
             {"BITBUCKET_REPO_IS_PRIVATE", "true"},
             {"BITBUCKET_PROJECT_KEY", "SHOP"},
             {"BITBUCKET_PROJECT_UUID", "{5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9}"},
             {"BITBUCKET_GIT_HTTP_ORIGIN", kOrigin},
             {"BITBUCKET_GIT_SSH_ORIGIN", "git@bitbucket.org:acme-shop/api-gateway.git"},
             {"BITBUCKET_PIPELINE_UUID", "{2d5c1a44-93b1-4f0e-a7c2-5e8d9f0a1b2c}"},
             {"BITBUCKET_STEP_UUID", "{8f7e6d5c-4b3a-4291-8e7f-6a5b4c3d2e1f}"},
             {"BITBUCKET_STEP_TRIGGERER_UUID", triggerer}};
  static const Env kEnvironmentUuids = {{"qa", "{3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f}"},
                                        {"staging", "{9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d}"},
                                        {"production", "{6f5e4d3c-2b1a-4f0e-9d8c-7b6a5f4e3d2c}"}};
  if (!deployment.empty()) {
    env["BITBUCKET_DEPLOYMENT_ENVIRONMENT"] = deployment;
    env["BITBUCKET_DEPLOYMENT_ENVIRONMENT_UUID"] = kEnvironmentUuids.at(deployment);
  }
  return env;
}

// The example's repository variables (REGISTRY, HOIST_MANIFEST_REPO, HOIST_GIT_USERNAME, HOIST_GIT_PASSWORD) and the
// registry's credentials as docker's config.json (DOCKER_CONFIG, as the step's image would have it).
Env repository_variables(const GitServer& git, const ExampleRegistry& registry) {
  return {{"REGISTRY", registry.host()},
          {"HOIST_MANIFEST_REPO", git.url("manifests")},
          {"HOIST_GIT_USERNAME", git.username()},
          {"HOIST_GIT_PASSWORD", git.password()},
          {"DOCKER_CONFIG", registry.docker_config_dir().string()}};
}

Env merged(Env env, const Env& more) {
  for (const auto& [k, v] : more) env[k] = v;
  return env;
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

// Runs STEP's script in the clone as Bitbucket does (bash, stop at the first failing command) with exactly ENV: none
// of this process's own variables.
CommandResult run_step(const BitbucketStep& step, const Env& env) {
  Command c;
  c.argv = {"bash", "-e", "-o", "pipefail", "-c", step.script};
  for (const auto& [name, value] : current_environment())
    if (!env.count(name)) c.unset_env.push_back(name);
  c.set_env = env;
  c.working_dir = env.at("BITBUCKET_CLONE_DIR");
  return run_command(c);
}

}  // namespace

TEST_CASE("Bitbucket Pipelines: the built-ins a pipeline sees under Bitbucket's variables", "[ci]") {
  TempDir dir;
  const std::string show = dir.file("show.yaml");
  std::ofstream(show) << "version: 1\nname: show\nsteps:\n  - id: show\n    run: |\n"
                         "      echo \"seen: ${CI_SYSTEM} ${COMMIT_SHA} ${COMMIT_SHORT_SHA} ${BRANCH} "
                         "${PIPELINE_ID} ${PIPELINE_URL} ${ACTOR} ${REPO_URL} ${DEPLOY_ENVIRONMENT}\"\n";
  HoistRun seen = run_hoist({"run", show}, bitbucket_variables(dir.path(), dir.path(), kErin, "staging"));
  INFO(seen.out << seen.err);
  CHECK(seen.code == 0);
  CHECK_THAT(seen.out, Catch::Contains("seen: bitbucket " + kCommit + " " + kShortCommit + " main 4711 " +
                                       kPipelineUrl + " " + kErin + " " + kOrigin + " staging"));
}

TEST_CASE("Bitbucket Pipelines: the example file's main-branch steps build and push the image, bump qa, and promote "
          "through the gate",
          "[ci]") {
  ExampleRegistry registry;
  GitServer git;
  git.create_repo("manifests", example_manifest_seed(registry.host()));
  TempDir dir;
  const fs::path clone = dir / "clone";  // $BITBUCKET_CLONE_DIR: the app repository, shared by the steps
  const fs::path home = dir / "home";    // the step's HOME: Hoist's layer cache
  copy_example_app(clone);
  fs::create_directories(home);
  const Env repository = repository_variables(git, registry);
  auto step_env = [&](const std::string& triggerer, const std::string& deployment) {
    Env env = merged(bitbucket_variables(clone, home, triggerer, deployment), repository);
    env["PATH"] = fs::path(HOIST_BINARY).parent_path().string() + ":" + env["PATH"];
    return env;
  };

  const auto steps = bitbucket_steps(fs::path(HOIST_SOURCE_DIR) / "examples/bitbucket/bitbucket-pipelines.yml", "main");
  REQUIRE(steps.size() == 3);
  CHECK((steps[0].deployment == "qa" && steps[0].trigger.empty()));
  CHECK((steps[1].deployment == "staging" && steps[1].trigger == "manual"));
  CHECK((steps[2].deployment == "production" && steps[2].trigger == "manual"));
  std::map<std::string, std::string> printed;

  // The push by erin: test, image, deploy-qa.
  CommandResult build = run_step(steps[0], step_env(kErin, steps[0].deployment));
  INFO(build.out << build.err);
  REQUIRE(build.exit_code == 0);
  printed["build"] = build.out + build.err;

  // The image, as skopeo sees it: tagged with the commit and its short form, labelled with the commit and the origin.
  const std::string digest = check_example_image(registry, kCommit, kOrigin);

  // qa runs it; the commit carries the pipeline link (from workspace, slug and build number) and the triggerer.
  check_runs(git, "qa", "qa", kShortCommit, digest);
  const std::string message = git.message("manifests", "qa");
  CHECK_THAT(message, Catch::Contains("\n" + kPipelineUrl + "\n"));  // the link in the body
  CHECK_THAT(message, Catch::Contains("Hoist-Source-Commit: " + kCommit + "\n"));
  CHECK_THAT(message, Catch::Contains("Hoist-Pipeline: " + kPipelineUrl + "\n"));
  CHECK_THAT(message, Catch::Contains("Hoist-Actor: " + kErin + "\n"));  // the raw UUID
  CHECK_THAT(message, Catch::Contains("Hoist-Image-Digest: " + digest + "\n"));

  // The artifacts: build.env for the later steps, the JUnit file where Bitbucket's test reporting looks.
  const std::string dotenv = read_file((clone / "build.env").string());
  CHECK_THAT(dotenv, Catch::Contains("IMAGE_DIGEST=" + digest + "\n"));
  CHECK_THAT(dotenv, Catch::Contains("DEPLOY_QA_COMMIT=" + *git.head("manifests", "qa") + "\n"));
  CHECK_THAT(dotenv, Catch::Contains("DEPLOY_QA_NEW=" + kShortCommit + "\n"));
  const std::string junit = read_file((clone / "test-results" / "hoist.xml").string());
  for (const char* step : {"test", "image", "deploy-qa"})
    CHECK_THAT(junit, Catch::Contains("name=\"" + std::string(step) + "\""));

  // carol presses "Deploy" on staging.
  CommandResult staging = run_step(steps[1], step_env(kCarol, steps[1].deployment));
  INFO(staging.out << staging.err);
  REQUIRE(staging.exit_code == 0);
  printed["staging"] = staging.out + staging.err;
  check_runs(git, "staging", "staging", kShortCommit, digest);
  const std::string staging_message = git.message("manifests", "staging");
  CHECK_THAT(staging_message, Catch::Contains("Hoist-Promoted-By: carol\n"));  // her UUID, mapped
  CHECK_THAT(staging_message, Catch::Contains("Hoist-Pipeline: " + kPipelineUrl + "\n"));

  // erin presses "Deploy" on production without approvals: the gate refuses, the step fails, nothing changes.
  const auto prod_before = git.head("manifests", "master");
  CommandResult refused = run_step(steps[2], step_env(kErin, steps[2].deployment));
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.err, Catch::Contains("0 of 2 approvals"));
  CHECK(git.head("manifests", "master") == prod_before);
  printed["refused"] = refused.out + refused.err;

  for (const auto& [uuid, name] : {std::pair{kAlice, "alice"}, std::pair{kBob, "bob"}}) {
    HoistRun a = run_hoist({"approve", "api-gateway", "--env", "prod", "--yes"},
                           merged(bitbucket_variables(clone, home, uuid), repository));
    INFO(a.out << a.err);
    CHECK(a.code == 0);
    CHECK_THAT(a.out, Catch::Contains(std::string("into prod as ") + name));
    printed[std::string("approval by ") + name] = a.all();
  }
  CommandResult prod = run_step(steps[2], step_env(kErin, steps[2].deployment));  // "Redeploy"
  INFO(prod.out << prod.err);
  REQUIRE(prod.exit_code == 0);
  printed["prod"] = prod.out + prod.err;
  check_runs(git, "master", "prod", kShortCommit, digest);
  check_prod_promotion(git, digest, "erin");

  // No credential in what the steps printed, in the clone (artifacts, reports), HOME (caches), the manifest
  // repository or the registry's storage.
  const auto leaks = example_leaks(git, registry, printed, {clone, home});
  INFO(Catch::Detail::stringify(leaks));
  CHECK(leaks.empty());
}
