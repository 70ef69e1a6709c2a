// No backwards moves for a pipeline's bump, end to end through `hoist bump` on the real git server: a re-run of an
// older pipeline is refused with exit 3 and the branch unchanged (by ancestry in the CI checkout, by the branch
// history, by build numbers), and --allow-older passes with Hoist-Allow-Older: true in the commit.
#include <catch2/catch.hpp>

#include "tests/support/command.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";
const std::string kFile = "api-gateway/qa.values.yaml";

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// An application checkout with commits A and B (B's parent is A), as a CI job clones it.
struct AppCheckout {
  TempDir dir{"hoist-app"};
  std::string a, b;
  AppCheckout() {
    const std::string d = dir.path().string();
    REQUIRE(run_command(git_command({"init", "--quiet", d})).ok());
    for (std::string* id : {&a, &b}) {
      REQUIRE(run_command(git_command({"-C", d, "commit", "--quiet", "--allow-empty", "-m", "change"})).ok());
      *id = trimmed(run_command(git_command({"-C", d, "rev-parse", "HEAD"})).out);
    }
  }
};

// `hoist bump` of qa's tag as GitLab pipeline PIPELINE of COMMIT, run in CWD (the source tree: no app checkout).
HoistRun bump(const GitServer& git, const std::string& commit, const std::string& pipeline, const std::string& tag,
              std::vector<std::string> extra = {}, const std::string& cwd = HOIST_SOURCE_DIR) {
  std::vector<std::string> args = {"bump", "--repo", git.url(kRepo), "--branch", "qa", "--file", kFile, "--set",
                                   "image.tag=" + tag};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_hoist(args,
                   {{"GITLAB_CI", "true"},
                    {"GITLAB_USER_LOGIN", "frank"},
                    {"CI_COMMIT_SHA", commit},
                    {"CI_PIPELINE_ID", pipeline},
                    {"HOIST_GIT_USERNAME", git.username()},
                    {"HOIST_GIT_PASSWORD", git.password()}},
                   cwd);
}

void bumped(const HoistRun& r) {
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
}

// Runs a bump that must be refused; checks exit 3 (a gate refused the step), qa unchanged, and returns the output
// (the step's failure is in the run's report on stdout).
HoistRun refused_bump(const GitServer& git, const std::string& commit, const std::string& pipeline,
                      const std::string& cwd = HOIST_SOURCE_DIR) {
  const auto before = git.head(kRepo, "qa");
  HoistRun r = bump(git, commit, pipeline, "old", {}, cwd);
  INFO(r.out << r.err);
  CHECK(r.code == 3);
  CHECK(git.head(kRepo, "qa") == before);
  return r;
}

}  // namespace

TEST_CASE("bump: a re-run of an older pipeline is refused by the branch history, --allow-older records it",
          "[bump][newer]") {
  GitServer git;
  create_promote_repo(git, kRepo);
  const std::string a(40, 'a'), b(40, 'b');
  bumped(bump(git, a, "10", "1.2.0"));
  bumped(bump(git, b, "11", "1.3.0"));
  CHECK_THAT(git.message(kRepo, "qa"), Catch::Contains("Hoist-Source-Commit: " + b + "\nHoist-Build-Number: 11\n"));

  HoistRun r = refused_bump(git, a, "10");
  CHECK_THAT(r.out, Catch::Contains(
                        "ms: step 'bump': bump refused: source aaaaaaaaaaaa, build 10 is older than source "
                        "bbbbbbbbbbbb, build 11, which runs in api-gateway/qa.values.yaml on branch 'qa': it first ran "
                        "in api-gateway/qa.values.yaml on branch 'qa' before source bbbbbbbbbbbb, build 11 replaced it "
                        "(branch history). Pass allow_older: true (hoist bump --allow-older) to move back on purpose, "
                        "or use `hoist rollback`\n"));

  // A new pipeline on the old commit has a higher number, and is still older.
  refused_bump(git, a, "12");

  HoistRun allowed = bump(git, a, "10", "1.2.0", {"--allow-older"});
  bumped(allowed);
  CHECK(git.read_file(kRepo, "qa", kFile) == values("1.2.0", kD1));
  CHECK_THAT(git.message(kRepo, "qa"), Catch::Contains("Hoist-Source-Commit: " + a + "\nHoist-Build-Number: 10\n"
                                                       "Hoist-Allow-Older: true\n"));
  // Newer builds go on as usual, and record no override.
  const std::string c(40, 'c');
  bumped(bump(git, c, "13", "1.4.0"));
  CHECK_THAT(git.message(kRepo, "qa"), !Catch::Contains("Hoist-Allow-Older"));
}

TEST_CASE("bump: an ancestor in the CI checkout is older even from a newer pipeline", "[bump][newer]") {
  GitServer git;
  create_promote_repo(git, kRepo);
  AppCheckout app;
  bumped(bump(git, app.b, "5", "1.3.0", {}, app.dir.path().string()));
  HoistRun r = refused_bump(git, app.a, "9", app.dir.path().string());
  CHECK_THAT(r.out, Catch::Contains(": source commit " + app.a.substr(0, 12) + " is an ancestor of " +
                                    app.b.substr(0, 12) + " (in the CI checkout). Pass allow_older"));
  // Outside the checkout the same bump has nothing but build numbers, which say newer.
  bumped(bump(git, app.a, "9", "1.2.0"));
}

TEST_CASE("bump: a pipeline that finishes after a later one is refused by build order", "[bump][newer]") {
  GitServer git;
  create_promote_repo(git, kRepo);
  bumped(bump(git, std::string(40, 'b'), "11", "1.3.0"));
  HoistRun r = refused_bump(git, std::string(40, 'c'), "10");
  CHECK_THAT(r.out, Catch::Contains(": build 10 came before build 11 (recorded build order). Pass allow_older"));
}
