// The `promote` and `approve` step kinds in pipelines, through the hoist binary against the real git server:
// `with` is checked at load time with places, plan mode prints the gate's verdict and changes nothing, and apply
// records approvals and promotes behind the same gate as the commands.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
  return dir.file(name);
}

}  // namespace

TEST_CASE("promote and approve steps: with checked at its place", "[promote]") {
  GitServer git;  // only for hoist_as's environment; nothing is fetched
  TempDir dir;
  auto file = write(dir, "p.yaml",
                    "version: 1\nname: ship\nsteps:\n"
                    "  - id: ok\n    uses: approve\n    with: {app: api, env: prod, repo: x, digest: sha256:12}\n"
                    "  - id: go\n    uses: promote\n    with:\n      app: api\n      to: prod\n      repo: x\n"
                    "      form: staging\n");
  HoistRun r = hoist_as("erin", git, "manifests", {"validate", file});
  INFO(r.out << r.err);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("p.yaml:6:50: 'digest' must be sha256:<64 hex digits>"));
  CHECK_THAT(r.err, Catch::Contains("p.yaml:13:7: unknown key 'form'"));
  CHECK_THAT(r.err, Catch::Contains("p.yaml:10:7: promote needs 'from' in its with (or rollback: true)"));
}

TEST_CASE("a pipeline approves and promotes through the steps, plan changes nothing", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create("manifests");
  TempDir dir;
  const std::string repo = git.url("manifests");
  auto promote_to = [&](const std::string& from, const std::string& to) {
    return write(dir, from + "-" + to + ".yaml",
                 "version: 1\nname: ship\nsteps:\n  - id: go\n    uses: promote\n    with: {app: api-gateway, from: " +
                     from + ", to: " + to + ", repo: \"" + repo + "\"}\n");
  };
  auto approve_file = write(dir, "approve.yaml",
                            "version: 1\nname: ok\nsteps:\n  - id: ok\n    uses: approve\n"
                            "    with: {app: api-gateway, env: prod, repo: \"" + repo + "\", comment: looks good}\n");

  HoistRun staging = hoist_as("erin", git, "manifests", {"run", promote_to("qa", "staging")});
  INFO(staging.out << staging.err);
  REQUIRE(staging.code == 0);
  CHECK(git.read_file("manifests", "staging", "api-gateway/staging.values.yaml") == values("1.1.0", kD1));

  const auto before = git.head("manifests", "master");
  HoistRun plan = hoist_as("erin", git, "manifests", {"plan", promote_to("staging", "prod")});
  INFO(plan.out << plan.err);
  CHECK(plan.code == 0);
  CHECK_THAT(plan.out, Catch::Contains("gate of prod: REFUSED"));
  CHECK_THAT(plan.out, Catch::Contains("→ changed = true\n"));  // it would change prod, were it allowed
  HoistRun refused = hoist_as("erin", git, "manifests", {"run", promote_to("staging", "prod")});
  CHECK(refused.code == 1);
  CHECK_THAT(refused.out + refused.err, Catch::Contains("refused"));
  CHECK(git.head("manifests", "master") == before);

  REQUIRE(hoist_as("alice", git, "manifests", {"run", approve_file}).code == 0);
  HoistRun plan_approve = hoist_as("bob", git, "manifests", {"plan", approve_file});
  CHECK_THAT(plan_approve.out, Catch::Contains("would record:"));
  REQUIRE(hoist_as("bob", git, "manifests", {"run", approve_file}).code == 0);
  HoistRun prod = hoist_as("erin", git, "manifests", {"run", promote_to("staging", "prod")});
  INFO(prod.out << prod.err);
  CHECK(prod.code == 0);
  CHECK(git.read_file("manifests", "master", "api-gateway/prod.values.yaml") == values("1.1.0", kD1));
}
