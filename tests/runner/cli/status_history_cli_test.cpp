// `hoist status` and `hoist history` as a reader sees them, exact output through the hoist binary against the real
// git smart-HTTP server: tables with a header row, the board of every app × environment, history over every
// environment, and exit 2 naming the valid names for an unknown app or environment — the same message from every
// command (and step) that takes an app or an environment.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "steps/gate/approval_record.hpp"
#include "tests/support/command.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";

struct Change {
  std::string id;      // 12 hex digits
  std::string time;    // RFC 3339, UTC
  std::string author;
};

// The newest commit of BRANCH that changed PATH, as git itself reports it.
Change last_change(const GitServer& git, const std::string& branch, const std::string& path) {
  std::string out = run_command(git_command({"--git-dir=" + git.repo_path(kRepo).string(), "log", "-1",
                                             "--format=%H %at %an", branch, "--", path}))
                        .out;
  const auto first = out.find(' '), second = out.find(' ', first + 1);
  const std::int64_t seconds = std::stoll(out.substr(first + 1, second - first - 1));
  return {out.substr(0, 12), promote::format_rfc3339(promote::TimePoint(std::chrono::seconds(seconds))),
          out.substr(second + 1, out.find('\n') - second - 1)};
}

std::string pad(const std::string& s, std::size_t width) { return s + std::string(width - s.size(), ' '); }

std::string short_of(const std::string& digest) { return digest.substr(0, 19); }  // "sha256:" + 12

HoistRun as_erin(const GitServer& git, const std::vector<std::string>& args) {
  HoistRun r = hoist_as("erin", git, kRepo, args);
  INFO(r.out << r.err);
  return r;
}

}  // namespace

TEST_CASE("status of one app is a table with a header, the board without an app lists every app", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  git.commit(kRepo, "qa", {{"billing/qa.values.yaml", values("2.0.0", kD9)}}, "billing: first build");

  const Change qa = last_change(git, "qa", "api-gateway/qa.values.yaml");
  const Change staging = last_change(git, "staging", "api-gateway/staging.values.yaml");
  const Change prod = last_change(git, "master", "api-gateway/prod.values.yaml");
  const std::size_t by = std::max<std::size_t>({std::string("frank").size(), staging.author.size(),
                                                prod.author.size(), std::string("BY").size()});
  HoistRun one = as_erin(git, {"status", "api-gateway"});
  CHECK(one.code == 0);
  CHECK(one.out == "api-gateway\n"
                   "  ENV      BRANCH   TAG    DIGEST               COMMIT        SINCE                 " +
                       pad("BY", by) + "  AGREEMENT\n" +
                   "  qa       qa       1.1.0  " + short_of(kD1) + "  " + qa.id + "  " + qa.time + "  " +
                       pad("frank", by) + "  -\n" +
                   "  staging  staging  1.0.0  " + short_of(kD0) + "  " + staging.id + "  " + staging.time + "  " +
                       pad(staging.author, by) + "  differs from qa\n" +
                   "  prod     master   1.0.0  " + short_of(kD0) + "  " + prod.id + "  " + prod.time + "  " +
                       pad(prod.author, by) + "  same as staging\n");

  HoistRun board = as_erin(git, {"status"});
  CHECK(board.code == 0);
  const std::size_t cell = std::string("1.1.0 sha256:0123456789ab").size();
  CHECK(board.out == "APP          " + pad("qa", cell) + "  " + pad("staging", cell) + "  prod\n" +
                     "api-gateway  1.1.0 " + short_of(kD1) + "  1.0.0 " + short_of(kD0) + "  1.0.0 " +
                         short_of(kD0) + "\n" +
                     "billing      2.0.0 " + short_of(kD9) + "  " + pad("-", cell) + "  -\n");
}

TEST_CASE("status and history of an unknown app exit 2 naming the apps there are", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  git.commit(kRepo, "qa", {{"billing/qa.values.yaml", values("2.0.0", kD9)}}, "billing: first build");

  HoistRun status = as_erin(git, {"status", "api-gatewy"});
  CHECK(status.code == 2);
  CHECK(status.out.empty());
  CHECK(status.err == "hoist: error: no app 'api-gatewy' in the manifest repository (did you mean 'api-gateway'?); "
                      "its apps: api-gateway, billing\n");
  HoistRun history = as_erin(git, {"history", "payments"});
  CHECK(history.code == 2);
  CHECK(history.err == "hoist: error: no app 'payments' in the manifest repository; its apps: api-gateway, billing\n");
}

TEST_CASE("every command that takes an app refuses an unknown one with the same message, exit 2", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  git.commit(kRepo, "qa", {{"billing/qa.values.yaml", values("2.0.0", kD9)}}, "billing: first build");
  const auto before = git.head(kRepo, "staging");
  const std::string typo = "hoist: error: no app 'api-gatewy' in the manifest repository (did you mean "
                           "'api-gateway'?); its apps: api-gateway, billing\n";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"promote", "api-gatewy", "--from", "qa", "--to", "staging", "--yes"},
           {"promote", "api-gatewy", "--from", "qa", "--to", "staging", "--plan"},
           {"promote", "api-gateway", "api-gatewy", "--from", "qa", "--to", "staging", "--yes"},
           {"rollback", "api-gatewy", "--env", "staging", "--yes"},
           {"approve", "api-gatewy", "--env", "prod", "--yes"},
           {"approve", "api-gatewy", "--env", "prod", "--digest", kD1, "--yes"},
           {"approve", "billing", "api-gatewy", "--env", "prod", "--yes"}}) {
    HoistRun r = as_erin(git, args);
    INFO(args[0] << " " << args[1] << " " << args[2]);
    CHECK(r.code == 2);
    CHECK(r.err == typo);
  }
  // An app the repository knows, but not in the environments asked about, gets the reason of those.
  HoistRun billing = as_erin(git, {"promote", "billing", "--from", "qa", "--to", "staging", "--yes"});
  CHECK(billing.code == 2);
  CHECK(billing.err == "hoist: error: billing/staging.values.yaml does not exist on branch 'staging'\n");
  CHECK(git.head(kRepo, "staging") == before);
  auto refs = run_command(git_command({"--git-dir=" + git.repo_path(kRepo).string(), "for-each-ref", "refs/hoist/"}));
  CHECK(refs.out.empty());  // no approval was recorded

  // The approve step says the same, under its step.
  TempDir dir;
  std::ofstream(dir / "p.yaml") << "version: 1\nname: ok\nsteps:\n  - id: ok\n    uses: approve\n"
                                   "    with: {app: api-gatewy, env: prod, repo: \"" + git.url(kRepo) + "\"}\n";
  HoistRun step = as_erin(git, {"run", dir.file("p.yaml")});
  CHECK(step.code == 2);
  CHECK_THAT(step.err, Catch::Contains("step 'ok' (approve) failed: no app 'api-gatewy' in the manifest repository "
                                       "(did you mean 'api-gateway'?); its apps: api-gateway, billing\n"));
}

TEST_CASE("every command that takes an environment refuses an unknown one with the same message, exit 2", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  const std::string typo = "hoist: error: hoist.yaml has no environment 'prd' (did you mean 'prod'?); its "
                           "environments: qa, staging, prod\n";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"promote", "api-gateway", "--from", "staging", "--to", "prd", "--yes"},
           {"promote", "api-gateway", "--from", "prd", "--to", "staging", "--yes"},
           {"promote", "--all", "--from", "staging", "--to", "prd", "--yes"},
           {"rollback", "api-gateway", "--env", "prd", "--yes"},
           {"approve", "api-gateway", "--env", "prd", "--yes"},
           {"approve", "--all", "--env", "prd", "--yes"},
           {"gate-status", "api-gateway", "--env", "prd"},
           {"history", "api-gateway", "--env", "prd"}}) {
    HoistRun r = as_erin(git, args);
    INFO(args[0] << " " << args[1] << " " << args[2]);
    CHECK(r.code == 2);
    CHECK(r.err == typo);
  }
}

TEST_CASE("an unknown environment exits 2 listing the environments of the policy", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  const auto before = git.head(kRepo, "staging");

  HoistRun history = as_erin(git, {"history", "api-gateway", "--env", "production"});
  CHECK(history.code == 2);
  CHECK(history.err == "hoist: error: hoist.yaml has no environment 'production'; its environments: qa, staging, prod\n");
  HoistRun promote = as_erin(git, {"promote", "api-gateway", "--from", "qa", "--to", "stagin", "--yes"});
  CHECK(promote.code == 2);
  CHECK(promote.err == "hoist: error: hoist.yaml has no environment 'stagin' (did you mean 'staging'?); its "
                       "environments: qa, staging, prod\n");
  CHECK(git.head(kRepo, "staging") == before);
}

TEST_CASE("history without --env lists every environment's promotions newest first under a header", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  HoistRun moved = as_erin(git, {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"});
  REQUIRE(moved.code == 0);

  const Change qa = last_change(git, "qa", "api-gateway/qa.values.yaml");
  const Change staging = last_change(git, "staging", "api-gateway/staging.values.yaml");
  const std::string header = "TIME                  ENV      COMMIT        DIGEST" + std::string(71 - 6, ' ') +
                             "  TAG    FROM  BY     APPROVED BY  PIPELINE\n";
  const std::string staging_row = staging.time + "  staging  " + staging.id + "  " + kD1 + "  1.1.0  qa    erin   " +
                                  "-            -\n";
  const std::string qa_row = qa.time + "  qa       " + qa.id + "  " + kD1 + "  1.1.0  bump  frank  -            -\n";
  HoistRun all = as_erin(git, {"history", "api-gateway"});
  CHECK(all.code == 0);
  CHECK(all.out == header + staging_row + qa_row);

  HoistRun one = as_erin(git, {"history", "api-gateway", "--env", "qa"});
  CHECK(one.code == 0);
  CHECK(one.out == "TIME                  ENV  COMMIT        DIGEST" + std::string(71 - 6, ' ') +
                       "  TAG    FROM  BY     APPROVED BY  PIPELINE\n" + qa.time + "  qa   " + qa.id + "  " + kD1 +
                       "  1.1.0  bump  frank  -            -\n");

  HoistRun usage = as_erin(git, {"history"});
  CHECK(usage.code == 2);
  CHECK(usage.err == "hoist: error: usage: hoist history APP [--env ENV] [--repo URL] [--output text|json]\n");
}
