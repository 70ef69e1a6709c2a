// The "newer" rule's decision (steps/gate/build_order.hpp): ancestry in the CI checkout first, then the branch
// history, then the recorded build order; nothing known is not older; --allow-older lets an older build through.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "steps/gate/build_order.hpp"

using namespace hoist;
using namespace hoist::promote;

namespace {

const std::string kA = std::string(40, 'a');  // parent
const std::string kB = std::string(40, 'b');  // child of A
const std::string kC = std::string(40, 'c');  // on another branch

BuildId build(const std::string& commit, const std::string& number = "", const std::string& digest = "") {
  return BuildId{commit, number, digest};
}

// A checkout where A is an ancestor of B and C is unrelated to both.
std::optional<bool> checkout(const std::string& ancestor, const std::string& descendant) {
  const std::set<std::string> known = {kA, kB, kC};
  if (!known.count(ancestor) || !known.count(descendant)) return std::nullopt;
  return ancestor == descendant || (ancestor == kA && descendant == kB);
}

NewerInput input(BuildId ours, std::optional<BuildId> running) {
  NewerInput in;
  in.env = "qa";
  in.ours = std::move(ours);
  in.running = std::move(running);
  return in;
}

}  // namespace

TEST_CASE("newer: an ancestor in the CI checkout is older, whatever the build numbers say", "[gate][newer]") {
  NewerInput in = input(build(kA, "9"), build(kB, "5"));
  in.ancestry = checkout;
  NewerVerdict v = newer_rule(in);
  CHECK(v.older);
  CHECK_FALSE(v.rule.passed);
  CHECK(v.rule.name == "newer");
  CHECK(v.rule.message ==
        "source aaaaaaaaaaaa, build 9 is older than source bbbbbbbbbbbb, build 5, which runs in qa: source commit "
        "aaaaaaaaaaaa is an ancestor of bbbbbbbbbbbb (in the CI checkout). Pass --allow-older to move back on "
        "purpose, or use `hoist rollback`");

  NewerInput forward = input(build(kB, "5"), build(kA, "9"));
  forward.ancestry = checkout;
  NewerVerdict f = newer_rule(forward);
  CHECK_FALSE(f.older);
  CHECK(f.rule.passed);
  CHECK(f.rule.message == "source bbbbbbbbbbbb, build 5 is newer than what runs in qa: source commit bbbbbbbbbbbb "
                          "descends from aaaaaaaaaaaa (in the CI checkout)");
}

TEST_CASE("newer: without a checkout, the branch history decides before build numbers", "[gate][newer]") {
  // A ran first, B replaced it; a new pipeline on A (a higher number) is still older.
  NewerInput in = input(build(kA, "12"), build(kB, "11"));
  in.arrivals = {build(kA, "10"), build(kB, "11")};
  NewerVerdict v = newer_rule(in);
  CHECK_FALSE(v.rule.passed);
  CHECK(v.rule.message == "source aaaaaaaaaaaa, build 12 is older than source bbbbbbbbbbbb, build 11, which runs in "
                          "qa: it first ran in qa before source bbbbbbbbbbbb, build 11 replaced it (branch history). "
                          "Pass --allow-older to move back on purpose, or use `hoist rollback`");

  // A rollback to A since then does not make B older.
  NewerInput back = input(build(kB, "11"), build(kA, "10"));
  back.arrivals = {build(kA, "10"), build(kB, "11"), build(kA, "10")};
  CHECK(newer_rule(back).rule.passed);
  CHECK_FALSE(newer_rule(back).older);
}

TEST_CASE("newer: recorded build order when nothing else tells", "[gate][newer]") {
  NewerInput in = input(build(kC, "10"), build(kB, "11"));
  in.ancestry = checkout;  // C and B diverged: ancestry cannot tell
  NewerVerdict v = newer_rule(in);
  CHECK_FALSE(v.rule.passed);
  CHECK_THAT(v.rule.message, Catch::Contains(": build 10 came before build 11 (recorded build order)."));
  CHECK(newer_rule(input(build(kC, "100"), build(kB, "99"))).rule.passed);  // compared as numbers, not text
  CHECK_FALSE(newer_rule(input(build(kC, "99"), build(kB, "100"))).rule.passed);
}

TEST_CASE("newer: nothing known, the same build, or the same source commit is not older", "[gate][newer]") {
  CHECK(newer_rule(input(build(kA), std::nullopt)).rule.message == "nothing recorded runs in qa yet");
  CHECK(newer_rule(input(build(kA, "1"), build(kA, "1"))).rule.message ==
        "qa runs this build already (source aaaaaaaaaaaa, build 1)");
  NewerVerdict rebuilt = newer_rule(input(build(kA, "1", "sha256:" + std::string(64, '1')),
                                          build(kA, "2", "sha256:" + std::string(64, '2'))));
  CHECK(rebuilt.rule.passed);
  CHECK_THAT(rebuilt.rule.message, Catch::EndsWith("built from the same source commit aaaaaaaaaaaa"));
  NewerVerdict unknown = newer_rule(input(build(kC), build(kB)));
  CHECK(unknown.rule.passed);
  CHECK(unknown.rule.message ==
        "no sign that source cccccccccccc is older than source bbbbbbbbbbbb, which runs in qa");
}

TEST_CASE("newer: --allow-older passes an older build and says it is recorded", "[gate][newer]") {
  NewerInput in = input(build(kA, "10"), build(kB, "11"));
  in.allow_older = true;
  NewerVerdict v = newer_rule(in);
  CHECK(v.older);
  CHECK(v.rule.passed);
  CHECK_THAT(v.rule.message, Catch::EndsWith("(recorded build order); allowed by --allow-older (recorded as "
                                             "Hoist-Allow-Older: true)"));
}

TEST_CASE("newer: build numbers are CI pipeline numbers only", "[gate][newer]") {
  CHECK(build_number_of("1234") == "1234");
  CHECK(build_number_of("local").empty());
  CHECK(build_number_of("").empty());
  CHECK(build_number_of("0012").empty());
  CHECK(build_number_of("{1b2c}").empty());
}
