// Hoist under Bitbucket Pipelines: the hoist binary runs with the variables exactly as Bitbucket sets them, on a
// pipeline that bumps the example manifest repository on the real git server, then promotes and approves from
// deployment steps. Checks the built-ins where users see them: the commit message and its trailers, the dotenv
// file, the promoter and approvers mapped from triggerer UUIDs through hoist.yaml's `identities`.
#include <catch2/catch.hpp>

#include <fstream>

#include "runner/subprocess.hpp"
#include "tests/support/command.hpp"
#include "tests/support/example_manifests.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

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

}  // namespace

TEST_CASE("Bitbucket Pipelines: built-ins in the bump commit, the dotenv file, and promotions by triggerer UUID",
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

  // The manual deployment steps: staging, then production behind the gate.
  Run staging = hoist_bb({"promote", "api-gateway", "--from", "qa", "--to", "staging", "--digest", digest, "--yes"},
                         bitbucket_env(git, kErin, "staging"));
  INFO(staging.out << staging.err);
  REQUIRE(staging.code == 0);
  CHECK_THAT(message_of(git, "staging"), Catch::Contains("Hoist-Promoted-By: erin\n"));  // the UUID, mapped
  CHECK_THAT(message_of(git, "staging"), Catch::Contains("Hoist-Pipeline: " + pipeline_url));

  const auto prod_before = git.head("manifests", "master");
  auto promote_prod = [&] {
    return hoist_bb({"promote", "api-gateway", "--from", "staging", "--to", "prod", "--digest", digest, "--yes"},
                    bitbucket_env(git, kErin, "production"));
  };
  Run refused = promote_prod();
  CHECK(refused.code == 3);
  CHECK(git.head("manifests", "master") == prod_before);

  for (const auto& [uuid, name] : {std::pair{kAlice, "alice"}, std::pair{kBob, "bob"}}) {
    Run a = hoist_bb({"approve", "api-gateway", "--env", "prod", "--yes"}, bitbucket_env(git, uuid));
    INFO(a.out << a.err);
    CHECK(a.code == 0);
    CHECK_THAT(a.out, Catch::Contains(std::string("into prod as ") + name));
  }
  Run prod = promote_prod();
  INFO(prod.out << prod.err);
  REQUIRE(prod.code == 0);
  CHECK_THAT(*git.read_file("manifests", "master", "api-gateway/prod.values.yaml"), Catch::Contains(digest));
  const std::string prod_message = message_of(git, "master");
  CHECK_THAT(prod_message, Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob\n"));
  CHECK_THAT(prod_message, Catch::Contains("Hoist-Promoted-By: erin\n"));
}
