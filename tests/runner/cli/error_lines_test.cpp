// Every error hoist reports starts with "hoist: error: ", whatever command failed and however: a usage mistake, a
// pipeline or policy file with problems (one line per problem), a step that failed (a final line naming the step,
// its kind and the reason), a repository that is not there. Each case is the exact stderr and the exit code
// docs/DESIGN.md promises (2 bad input, 1 a failed step, 3 a gate refusal), run by the binary as CI runs it.
// Nothing here needs a server: the failures come before any network, or from a local path.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/command.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
namespace fs = std::filesystem;

namespace {

struct Case {
  std::vector<std::string> args;
  int code;
  std::string err;
};

// A work directory with a pipeline whose step fails, a pipeline with two problems, a policy with one, and a
// manifest file; hoist runs in it, so every path in a message is short and the same on every machine.
struct Workspace {
  test::TempDir dir;
  Workspace() {
    write("fails.yaml", "version: 1\nname: fails\nsteps:\n  - id: unit-tests\n    run: echo testing; exit 3\n"
                        "  - id: after\n    run: echo never\n    needs: [unit-tests]\n");
    write("broken.yaml", "version: 1\nname: broken\nsteps:\n  - id: a\n    uses: image/bulid\n  - id: a\n"
                         "    run: echo\n");
    write("hoist.yaml", "environments:\n  qa: {branch: qa, file: \"{app}/qa.yaml\"}\n"
                        "  prod: {branch: master, file: \"{app}/prod.yaml\", after: qa, gate: {approvals: two}}\n");
    // A manifest repository on a local path, qa holding api/qa.yaml.
    const std::string repo = dir.file("manifests.git");
    const std::string work = dir.file("checkout");
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"init", "--quiet", "--bare", "--initial-branch=qa", repo}, {"init", "--quiet", "--initial-branch=qa", work}})
      REQUIRE(test::run_command(test::git_command(args)).ok());
    fs::create_directories(dir / "checkout/api");
    std::ofstream(dir / "checkout/api/qa.yaml") << "image:\n  tag: 1.0.0\n";
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"-C", work, "add", "."},
             {"-C", work, "-c", "user.name=Seed", "-c", "user.email=seed@example.invalid", "commit", "--quiet", "-m", "seed"},
             {"-C", work, "push", "--quiet", repo, "qa"}})
      REQUIRE(test::run_command(test::git_command(args)).ok());
  }
  std::string repo() const { return dir.file("manifests.git"); }
  std::string tip() const {
    test::CommandResult r = test::run_command(test::git_command({"--git-dir=" + repo(), "rev-parse", "qa"}));
    return r.out.substr(0, r.out.find('\n'));
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(dir / name) << text; }
  test::HoistRun run(const std::vector<std::string>& args) const {
    return test::run_hoist(args, {{"HOME", dir.path().string()}, {"HOIST_CACHE", dir.file("cache")}},
                           dir.path().string(), std::chrono::seconds(60));
  }
};

}  // namespace

TEST_CASE("every error starts with 'hoist: error:', with the exit code DESIGN.md gives it", "[cli][errors]") {
  Workspace ws;
  const std::string missing_repo = ws.dir.file("no-such-repo");
  const std::vector<std::string> bump = {"bump", "--repo", ws.repo(), "--branch", "qa", "--file"};
  auto with = [](std::vector<std::string> a, const std::vector<std::string>& more) {
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  const std::vector<Case> cases = {
      {{"deploy"}, 2, "hoist: error: unknown command 'deploy' (see hoist --help)\n"},
      {{"run"}, 2, "hoist: error: hoist run: give exactly one pipeline file (hoist run PIPELINE)\n"},
      {{"run", "nowhere.yaml"}, 2, "hoist: error: nowhere.yaml: cannot read pipeline file: No such file or directory\n"},
      {{"validate", "broken.yaml"}, 2,
       "hoist: error: broken.yaml:5:11: unknown step kind 'image/bulid' (did you mean 'image/build'?)\n"
       "hoist: error: broken.yaml:6:5: duplicate step id 'a' (first defined at line 4)\n"},
      {{"validate", "--policy", "hoist.yaml"}, 2, "hoist: error: hoist.yaml:3:80: 'approvals' must be an integer, got 'two'\n"},
      {{"run", "fails.yaml"}, 1, "hoist: error: step 'unit-tests' (run) failed: command exited with code 3\n"},
      {{"bump", "--branch", "qa", "--file", "a.yaml", "--set", "a=1"}, 2, "hoist: error: hoist bump: --repo is required\n"},
      {{"bump", "--repo", missing_repo, "--branch", "qa", "--file", "a.yaml", "--set", "a=1"}, 2,
       "hoist: error: step 'bump' (manifest/bump) failed: the repository " + missing_repo +
           " does not exist (no such local path)\n"},
      // A step refused for bad input carries exit 2 to the command, as the flags' own mistakes do.
      {with(bump, {"api/qa.yaml", "--set", "image.tga=1.1.0"}), 2,
       "hoist: error: step 'bump' (manifest/bump) failed: api/qa.yaml: image.tga: no such key (closest: image.tag)\n"},
      {with(bump, {"api/prod.yaml", "--set", "image.tag=1.1.0"}), 2,
       "hoist: error: step 'bump' (manifest/bump) failed: api/prod.yaml: no such file on branch 'qa' (at " +
           ws.tip().substr(0, 12) + ")\n"},
      {{"promote", "api", "--from", "qa", "--to", "staging"}, 2,
       "hoist: error: no manifest repository: pass --repo URL or set HOIST_MANIFEST_REPO\n"},
      {{"history", "api"}, 2, "hoist: error: no manifest repository: pass --repo URL or set HOIST_MANIFEST_REPO\n"},
      {{"status", "--output", "xml"}, 2, "hoist: error: hoist status: --output must be text or json, got 'xml'\n"},
      {{"image", "build", "--base", "scratch"}, 2, "hoist: error: hoist image build: --image is required\n"},
      {{"image", "digest", "Shop/App:1"}, 2,
       "hoist: error: invalid image reference 'Shop/App:1': repository name must be lowercase\n"},
      {{"help", "rnu"}, 2, "hoist: error: hoist help: unknown command 'rnu' (did you mean 'run'?)\n"},
      {{"completion", "zsh"}, 2,
       "hoist: error: hoist completion: give the shell: hoist completion bash (the only one supported)\n"},
      {{"ci", "gitlab-child"}, 2, "hoist: error: hoist ci gitlab-child: give one or more pipeline files\n"},
  };
  for (const Case& c : cases) {
    std::string line;
    for (const auto& a : c.args) line += " " + a;
    INFO("hoist" << line);
    test::HoistRun r = ws.run(c.args);
    CHECK(r.err == c.err);
    CHECK(r.code == c.code);
  }
}

TEST_CASE("hoist without a command says so on stderr, then the usage, and exits 2", "[cli][errors]") {
  Workspace ws;
  test::HoistRun bare = ws.run({});
  test::HoistRun help = ws.run({"--help"});
  CHECK(bare.code == 2);
  CHECK(help.code == 0);
  CHECK(bare.out.empty());
  CHECK(bare.err == "hoist: error: give a command\n\n" + help.out);
}

TEST_CASE("a failed step's last line says which step, of what kind, and why, one for each step that failed",
          "[cli][errors]") {
  Workspace ws;
  ws.write("two.yaml", "version: 1\nname: two\nsteps:\n  - id: lint\n    run: exit 4\n  - id: test\n    run: exit 5\n"
                       "  - id: report\n    run: echo done\n    when: always\n    needs: [lint, test]\n");
  test::HoistRun r = ws.run({"run", "two.yaml", "--jobs", "1"});
  CHECK(r.code == 1);
  CHECK(r.err == "hoist: error: step 'lint' (run) failed: command exited with code 4\n"
                 "hoist: error: step 'test' (run) failed: command exited with code 5\n");
  // The text report on stdout still ends with the table and the counts; the errors follow it.
  CHECK_THAT(r.out, Catch::Contains("pipeline two: 1 succeeded, 2 failed in "));
}

// The first failed step in the file decides the exit code: a bump refused for bad input (2) after a failed command
// (1) exits 1; the other way round, 2.
TEST_CASE("a run exits with its first failed step's code: bad input 2, else 1", "[cli][errors]") {
  Workspace ws;
  const std::string bump_step = "  - id: deploy\n    uses: manifest/bump\n    with: {repo: " + ws.repo() +
                                ", branch: qa, file: api/qa.yaml, set: {image.tga: 1.1.0}}\n";
  const std::string run_step = "  - id: unit-tests\n    run: exit 1\n";
  const std::string deploy_line =
      "hoist: error: step 'deploy' (manifest/bump) failed: api/qa.yaml: image.tga: no such key (closest: image.tag)\n";
  const std::string test_line = "hoist: error: step 'unit-tests' (run) failed: command exited with code 1\n";
  ws.write("bump-first.yaml", "version: 1\nname: bump-first\nsteps:\n" + bump_step + run_step);
  ws.write("test-first.yaml", "version: 1\nname: test-first\nsteps:\n" + run_step + bump_step);

  test::HoistRun bump_first = ws.run({"run", "bump-first.yaml"});
  CHECK(bump_first.err == deploy_line + test_line);
  CHECK(bump_first.code == 2);
  test::HoistRun test_first = ws.run({"run", "test-first.yaml", "--output", "json"});
  CHECK(test_first.err == test_line + deploy_line);
  CHECK(test_first.code == 1);
}
