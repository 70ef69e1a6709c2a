// The manifest/bump step and `hoist bump`, end to end through the hoist binary against the real git smart-HTTP
// server (basic auth on loopback).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "steps/gate/manifest_repo.hpp"
#include "steps/manifest/bump_step.hpp"
#include "tests/support/command.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/leak_check.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;

namespace {

const std::string kValues =
    "# api-gateway in qa\n"
    "replicaCount: 2\n"
    "image:\n"
    "  repository: registry.example.com/shop/api-gateway\n"
    "  tag: \"1.0.0\"   # set by CI\n"
    "resources: {}\n";

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');

using test::HoistRun;

HoistRun hoist_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
  return test::run_hoist(args, env);
}

std::map<std::string, std::string> git_env(const test::GitServer& git) {
  return {{"HOIST_GIT_USERNAME", git.username()}, {"HOIST_GIT_PASSWORD", git.password()}};
}

// The environment of a run whose every write lands in `dir`: the mirror cache, temporary files and HOME.
std::map<std::string, std::string> contained_env(const test::GitServer& git, const test::TempDir& dir) {
  auto env = git_env(git);
  for (const char* sub : {"cache", "tmp", "home"}) std::filesystem::create_directories(dir / sub);
  env["HOIST_CACHE"] = dir.file("cache");
  env["TMPDIR"] = dir.file("tmp");
  env["HOME"] = dir.file("home");
  return env;
}

// No form of the server's credentials in what the run printed, in what it wrote, or in the remote repository.
void check_no_leaks(const test::GitServer& git, const test::TempDir& dir, const HoistRun& r) {
  CHECK(test::find_leaks(test::credential_forms(git.username(), git.password()),
                         {{"stdout", r.out}, {"stderr", r.err}}, {dir.path(), git.repo_path("manifests")})
            .empty());
}

std::string write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
  return p.string();
}

}  // namespace

TEST_CASE("hoist bump sets one value, commits with trailers, and pushes", "[bump]") {
  test::GitServer git;
  git.create_repo("manifests", {{"qa", {{"api-gateway/qa.values.yaml", kValues}}}});
  const std::string before = *git.head("manifests", "qa");
  test::TempDir dir;
  HoistRun r = hoist_cli({"bump", "--repo", git.url("manifests"), "--branch", "qa", "--file", "api-gateway/qa.values.yaml",
                     "--set", "image.tag=1.1.0", "--digest", "sha256:" + std::string(64, 'a'),
                     "--author", "Dee Ploy <dee@example.invalid>"},
                    contained_env(git, dir));
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  std::string after = *git.head("manifests", "qa");
  CHECK(after != before);
  std::string expected = kValues;
  expected.replace(expected.find("\"1.0.0\""), 7, "\"1.1.0\"");
  CHECK(git.read_file("manifests", "qa", "api-gateway/qa.values.yaml") == expected);
  CHECK(r.out.find(git.password()) == std::string::npos);
  CHECK(r.err.find(git.password()) == std::string::npos);
  CHECK_THAT(r.out, Catch::Contains("pushed " + after.substr(0, 12) + " to qa"));
  CHECK(std::filesystem::exists(dir / "cache" / "hoist-git"));  // the mirror was kept, so the scan below saw it
  check_no_leaks(git, dir, r);
}

TEST_CASE("hoist bump --plan prints the diff and pushes nothing", "[bump]") {
  test::GitServer git;
  git.create_repo("manifests", {{"qa", {{"api-gateway/qa.values.yaml", kValues}}}});
  const std::string before = *git.head("manifests", "qa");
  HoistRun r = hoist_cli({"bump", "--plan", "--repo", git.url("manifests"), "--branch", "qa", "--file",
                     "api-gateway/qa.values.yaml", "--set", "image.tag=2.0.0"},
                    git_env(git));
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("would commit to branch 'qa'"));
  CHECK_THAT(r.out, Catch::Contains("-  tag: \"1.0.0\"   # set by CI"));
  CHECK_THAT(r.out, Catch::Contains("+  tag: \"2.0.0\"   # set by CI"));
  CHECK(*git.head("manifests", "qa") == before);
}

TEST_CASE("a pipeline's manifest/bump step edits several files in one commit and sets its outputs", "[bump]") {
  test::GitServer git;
  git.create_repo("manifests", {{"qa", {{"api/qa.values.yaml", kValues},
                                        {"web/qa.values.yaml", kValues},
                                        {"db/qa.values.yaml", kValues}}}});
  test::TempDir dir;
  auto dotenv = dir.file("out.env");
  auto file = write(dir / "p.yaml", "version: 1\nname: deploy\nsteps:\n"
                                    "  - id: deploy-qa\n    uses: manifest/bump\n    with:\n"
                                    "      repo: " + git.url("manifests") + "\n      branch: qa\n"
                                    "      digest: " + kDigestB + "\n"
                                    "      edits:\n"
                                    "        - {file: api/qa.values.yaml, set: {image.tag: \"1.2.0\"}, digest: " +
                                    kDigestA + "}\n"
                                    "        - {file: web/qa.values.yaml, set: {replicaCount: \"3\"}}\n"
                                    "        - {file: db/qa.values.yaml, set: {replicaCount: \"2\"}}\n"
                                    "  - id: show\n    needs: [deploy-qa]\n"
                                    "    run: echo \"commit=${steps.deploy-qa.commit} changed=${steps.deploy-qa.changed}\"\n"
                                    "  - id: each\n    needs: [deploy-qa]\n"
                                    "    run: |\n"
                                    "      echo \"first=${steps.deploy-qa.file} ${steps.deploy-qa.old} -> ${steps.deploy-qa.new}\"\n"
                                    "      echo \"1=${steps.deploy-qa.file_1} ${steps.deploy-qa.changed_1} [${steps.deploy-qa.old_1}] [${steps.deploy-qa.new_1}]\"\n"
                                    "      echo \"2=${steps.deploy-qa.file_2} ${steps.deploy-qa.changed_2} [${steps.deploy-qa.old_2}] [${steps.deploy-qa.new_2}]\"\n"
                                    "      echo \"3=${steps.deploy-qa.file_3} ${steps.deploy-qa.changed_3} [${steps.deploy-qa.old_3}] [${steps.deploy-qa.new_3}]\"\n"
                                    "      echo 'files=${steps.deploy-qa.files}'\n");
  std::string first_parent = *git.head("manifests", "qa");
  HoistRun r = hoist_cli({"run", file, "--dotenv", dotenv}, contained_env(git, dir));
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  std::string head = *git.head("manifests", "qa");
  CHECK_THAT(r.out, Catch::Contains("commit=" + head + " changed=true"));
  // Each file of `edits` has its own outputs (in the order given); the unindexed ones are the first file's.
  CHECK_THAT(r.out, Catch::Contains("first=api/qa.values.yaml 1.0.0 -> 1.2.0\n"));
  CHECK_THAT(r.out, Catch::Contains("1=api/qa.values.yaml true [1.0.0] [1.2.0]\n"));
  CHECK_THAT(r.out, Catch::Contains("2=web/qa.values.yaml true [2] [3]\n"));
  CHECK_THAT(r.out, Catch::Contains("3=db/qa.values.yaml false [] []\n"));
  CHECK_THAT(r.out, Catch::Contains(
                        "files=[{\"changed\":true,\"file\":\"api/qa.values.yaml\",\"new\":\"1.2.0\",\"old\":\"1.0.0\"},"
                        "{\"changed\":true,\"file\":\"web/qa.values.yaml\",\"new\":\"3\",\"old\":\"2\"},"
                        "{\"changed\":false,\"file\":\"db/qa.values.yaml\",\"new\":\"\",\"old\":\"\"}]\n"));
  // Each changed file has its own trailer group: its digest (the entry's, else the step's).
  const std::string message = git.message("manifests", "qa");
  INFO(message);
  CHECK_THAT(message, Catch::Contains("\nHoist-File: api/qa.values.yaml\nHoist-Image-Digest: " + kDigestA +
                                      "\nHoist-File: web/qa.values.yaml\nHoist-Image-Digest: " + kDigestB + "\n"));
  // ... which the readers of a file's history (status, history, the gate's lineage) see as that file's.
  {
    promote::ManifestAccess access;
    access.repo = git.url("manifests");
    access.env = git_env(git);
    promote::ManifestRepo repo(std::move(access));
    CHECK(repo.history("qa", "api/qa.values.yaml").front().trailer("Hoist-Image-Digest") == kDigestA);
    CHECK(repo.history("qa", "web/qa.values.yaml").front().trailer("Hoist-Image-Digest") == kDigestB);
  }
  CHECK_THAT(*git.read_file("manifests", "qa", "api/qa.values.yaml"), Catch::Contains("tag: \"1.2.0\""));
  CHECK_THAT(*git.read_file("manifests", "qa", "web/qa.values.yaml"), Catch::Contains("replicaCount: 3\n"));
  // One commit on top of the old tip.
  CHECK(git.head("manifests", "qa~1") == first_parent);
  // A second run changes nothing and makes no commit.
  HoistRun again = hoist_cli({"run", file}, git_env(git));
  CHECK(again.code == 0);
  CHECK_THAT(again.out, Catch::Contains("changed=false"));
  CHECK(*git.head("manifests", "qa") == head);
  check_no_leaks(git, dir, r);
}

TEST_CASE("bad input to a bump is a clear error and leaves the remote unchanged", "[bump]") {
  test::GitServer git;
  git.create_repo("manifests", {{"qa", {{"api/qa.values.yaml", kValues}}}});
  const std::string before = *git.head("manifests", "qa");
  auto bump = [&](std::vector<std::string> extra, std::map<std::string, std::string> env) {
    std::vector<std::string> args = {"bump", "--repo", git.url("manifests")};
    args.insert(args.end(), extra.begin(), extra.end());
    return hoist_cli(args, env);
  };
  HoistRun missing_key = bump({"--branch", "qa", "--file", "api/qa.values.yaml", "--set", "image.tga=1"}, git_env(git));
  CHECK(missing_key.code == 1);
  CHECK_THAT(missing_key.out, Catch::Contains("api/qa.values.yaml: image.tga: no such key"));
  HoistRun missing_file = bump({"--branch", "qa", "--file", "nope.yaml", "--set", "a=1"}, git_env(git));
  CHECK_THAT(missing_file.out, Catch::Contains("nope.yaml: no such file on branch 'qa'"));
  HoistRun missing_branch = bump({"--branch", "prod", "--file", "api/qa.values.yaml", "--set", "image.tag=1"}, git_env(git));
  CHECK_THAT(missing_branch.out, Catch::Contains("branch 'prod' not found"));
  auto wrong = git_env(git);
  wrong["HOIST_GIT_PASSWORD"] = "wrong-password-123";
  HoistRun bad_auth = bump({"--branch", "qa", "--file", "api/qa.values.yaml", "--set", "image.tag=1"}, wrong);
  CHECK_THAT(bad_auth.out, Catch::Contains("authentication failed"));
  CHECK(bad_auth.out.find("wrong-password-123") == std::string::npos);
  HoistRun bad_flags = bump({"--branch", "qa"}, git_env(git));
  CHECK(bad_flags.code == 2);
  CHECK(bad_flags.err == "hoist: error: hoist bump: --file is required\n");
  CHECK(*git.head("manifests", "qa") == before);
}

TEST_CASE("24 concurrent hoist bump processes, each a different file, all land in a linear history", "[bump]") {
  constexpr int kBumps = 24;
  test::GitServer git;
  test::RepoFiles files;
  for (int i = 0; i < kBumps; ++i) files["svc" + std::to_string(i) + "/qa.values.yaml"] = kValues;
  git.create_repo("manifests", {{"qa", files}});
  const std::string before = *git.head("manifests", "qa");
  std::vector<HoistRun> runs(kBumps);
  std::vector<std::thread> threads;
  for (int i = 0; i < kBumps; ++i) {
    threads.emplace_back([&, i] {
      runs[i] = hoist_cli({"bump", "--repo", git.url("manifests"), "--branch", "qa", "--file",
                           "svc" + std::to_string(i) + "/qa.values.yaml", "--set", "image.tag=2.0." + std::to_string(i)},
                          git_env(git));
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kBumps; ++i) {
    INFO("bump " << i << ": " << runs[i].out << runs[i].err);
    CHECK(runs[i].code == 0);
    CHECK_THAT(*git.read_file("manifests", "qa", "svc" + std::to_string(i) + "/qa.values.yaml"),
               Catch::Contains("tag: \"2.0." + std::to_string(i) + "\""));
  }
  // 24 new commits in a line on top of the old tip, one per bump, no merge: nothing was forced over.
  CHECK(git.head("manifests", "qa~" + std::to_string(kBumps)) == before);
  auto count = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "--git-dir=" + git.repo_path("manifests").string());
    auto r = test::run_command(test::git_command(std::move(args)));
    REQUIRE(r.ok());
    return r.out;
  };
  CHECK(count({"rev-list", "--count", before + "..qa"}) == std::to_string(kBumps) + "\n");
  CHECK(count({"rev-list", "--count", "--min-parents=2", "qa"}) == "0\n");
}
