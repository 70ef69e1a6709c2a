// No backwards moves for promotions, end to end through the hoist binary on the real git server and registry: prod
// runs 1.1.0 and staging is moved back to 1.0.0 (on purpose, with --allow-older); promoting 1.0.0 into prod is then
// refused by the gate's `newer` rule even with every approval, exit 3 and prod unchanged; --allow-older passes and
// the commit says so; `hoist rollback` needs no flag.
#include <catch2/catch.hpp>

#include "tests/support/promote_fixture.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";

HoistRun ok(const HoistRun& r) {
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return r;
}

HoistRun promote(const GitServer& git, const std::string& from, const std::string& to,
                 std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"promote", "api-gateway", "--from", from, "--to", to, "--yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  return hoist_as("erin", git, kRepo, args);
}

}  // namespace

TEST_CASE("promote: an older build is refused by the newer rule, --allow-older records the override",
          "[promote][newer]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  // 1.1.0 all the way to prod.
  ok(promote(git, "qa", "staging"));
  for (const char* who : {"alice", "bob"}) ok(hoist_as(who, git, kRepo, {"approve", "api-gateway", "--env", "prod", "--yes"}));
  ok(promote(git, "staging", "prod"));
  // A pipeline puts 1.0.0 back into qa (its bump recorded no build, so only the digest is known).
  git.commit(kRepo, "qa", {{"api-gateway/qa.values.yaml", values("1.0.0", kD0)}},
             "api-gateway: back to 1.0.0\n\nHoist-Image-Digest: " + kD0 + "\nHoist-Actor: frank\n");

  HoistRun staging = promote(git, "qa", "staging");
  CHECK(staging.code == 3);
  CHECK_THAT(staging.out, Catch::Contains("  FAIL  newer: " + kD0.substr(0, 19) + " is older than " + kD1.substr(0, 19) +
                                          ", which runs in staging: it first ran in staging before " +
                                          kD1.substr(0, 19) + " replaced it (branch history). Pass --allow-older to "
                                          "move back on purpose, or use `hoist rollback`\n"));
  ok(promote(git, "qa", "staging", {"--allow-older"}));
  CHECK_THAT(git.message(kRepo, "staging"), Catch::Contains("Hoist-Allow-Older: true"));

  for (const char* who : {"alice", "bob"})
    ok(hoist_as(who, git, kRepo, {"approve", "api-gateway", "--env", "prod", "--digest", kD0, "--yes"}));
  const auto before = git.head(kRepo, "master");
  HoistRun prod = promote(git, "staging", "prod");
  INFO(prod.out << prod.err);
  CHECK(prod.code == 3);
  CHECK(git.head(kRepo, "master") == before);
  CHECK_THAT(prod.err, Catch::Contains("promotion of api-gateway from staging to prod refused:\n  newer: " +
                                       kD0.substr(0, 19) + " is older than"));
  CHECK_THAT(prod.out, Catch::Contains("  ok    approvals: 2 of 2 approvals"));  // only `newer` refuses

  HoistRun allowed = ok(promote(git, "staging", "prod", {"--allow-older"}));
  CHECK_THAT(allowed.out, Catch::Contains("allowed by --allow-older (recorded as Hoist-Allow-Older: true)"));
  CHECK(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.0.0", kD0));
  CHECK_THAT(git.message(kRepo, "master"), Catch::Contains("Hoist-Allow-Older: true"));

  // A rollback is exempt: prod returns to 1.1.0 (approved at the start) without a flag.
  HoistRun rb = ok(hoist_as("erin", git, kRepo, {"rollback", "api-gateway", "--env", "prod", "--digest", kD1, "--yes"}));
  CHECK_THAT(rb.out, !Catch::Contains("newer:"));
  CHECK_THAT(git.message(kRepo, "master"), !Catch::Contains("Hoist-Allow-Older"));
}
