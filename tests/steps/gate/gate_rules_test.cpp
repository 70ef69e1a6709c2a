// Gate rules other than approvals: promotion order, the digest running in the source environment, freeze windows
// with an injected clock, rollbacks, and the refusal error.
#include <catch2/catch.hpp>

#include "steps/gate/gate.hpp"
#include "tests/support/gate_fixtures.hpp"

using namespace hoist;
using namespace hoist::promote;
using namespace hoist::test;

namespace {

GateVerdict evaluate(const PromotionRequest& req, const std::vector<ApprovalRecord>& records, TimePoint now = kNow) {
  static const Policy policy = load_policy(kGatePolicy, "hoist.yaml");
  ScriptedSignatures signatures;
  GateVerdict v = evaluate_gate(policy, req, records, now, signatures);
  CHECK(signatures.calls.empty());  // the prod gate is not signed
  return v;
}

const std::vector<ApprovalRecord> kTwoApprovals = {approval("alice"), approval("carol")};

}  // namespace

TEST_CASE("gate: staging to prod with two approvals passes every rule", "[policy]") {
  const GateVerdict v = evaluate(staging_to_prod(), kTwoApprovals);
  CHECK(v.allowed);
  REQUIRE(v.rules.size() == 4);
  CHECK(v.rules[0].name == "order");
  CHECK(v.rules[0].message == "staging -> prod follows the order qa -> staging -> prod");
  CHECK(v.rules[1].message == "staging runs sha256:aaaaaaaaaaaa, the digest being promoted");
  CHECK(v.rules[2].message == "now is outside prod's freeze windows");
  CHECK(v.rules[3].message == "2 of 2 approvals for sha256:aaaaaaaaaaaa: alice, carol");
  CHECK_NOTHROW(require_allowed(v, staging_to_prod()));
}

TEST_CASE("gate: skipping staging is refused", "[policy]") {
  PromotionRequest req = staging_to_prod();
  req.from = "qa";
  const GateVerdict v = evaluate(req, kTwoApprovals);
  CHECK_FALSE(v.allowed);
  CHECK_FALSE(v.rule("order")->passed);
  CHECK(v.rule("order")->message == "prod is promoted from staging, not from qa (order qa -> staging -> prod)");
  CHECK(v.rule("approvals")->passed);  // every other rule is still evaluated and shown
}

TEST_CASE("gate: promoting into the first environment is refused", "[policy]") {
  PromotionRequest req = staging_to_prod();
  req.from = "staging";
  req.to = "qa";
  const GateVerdict v = evaluate(req, {});
  CHECK_FALSE(v.allowed);
  CHECK(v.rule("order")->message == "'qa' is not promoted into: it has no 'after' in hoist.yaml");
}

TEST_CASE("gate: qa to staging needs no approvals", "[policy]") {
  PromotionRequest req = staging_to_prod();
  req.from = "qa";
  req.to = "staging";
  const GateVerdict v = evaluate(req, {});
  CHECK(v.allowed);
  CHECK(v.rule("approvals")->message == "staging needs no approvals");
  CHECK(v.rule("freeze")->message == "staging has no freeze windows");
}

TEST_CASE("gate: a digest that is not the one running in staging is refused", "[policy]") {
  PromotionRequest req = staging_to_prod();
  req.running_in_source = kDigestB;
  GateVerdict v = evaluate(req, kTwoApprovals);
  CHECK_FALSE(v.allowed);
  CHECK(v.rule("digest")->message == "staging runs sha256:bbbbbbbbbbbb, not sha256:aaaaaaaaaaaa");

  req.running_in_source.reset();
  v = evaluate(req, kTwoApprovals);
  CHECK_FALSE(v.allowed);
  CHECK(v.rule("digest")->message == "nothing is running in staging, so sha256:aaaaaaaaaaaa is not");
}

TEST_CASE("gate: a freeze window refuses, in its own offset, wrapping over the weekend", "[policy]") {
  GateVerdict v = evaluate(staging_to_prod(), kTwoApprovals, at(27, 8));  // Fri 17:00 in Tokyo
  CHECK_FALSE(v.allowed);
  CHECK(v.rule("freeze")->message == "prod is frozen now (Fri 17:00 +09:00) by 'Fri 16:00 - Mon 08:00 +09:00'");

  v = evaluate(staging_to_prod(), kTwoApprovals, at(29, 22));  // Sun 22:00 UTC = Mon 07:00 in Tokyo
  CHECK_FALSE(v.allowed);
  CHECK(v.rule("freeze")->message == "prod is frozen now (Mon 07:00 +09:00) by 'Fri 16:00 - Mon 08:00 +09:00'");

  // The approvals are an hour old at kNow; give these clocks fresh ones.
  std::vector<ApprovalRecord> fresh = kTwoApprovals;
  for (auto& r : fresh) r.time = at(29, 23) - std::chrono::hours(1);
  v = evaluate(staging_to_prod(), fresh, at(29, 23));  // Mon 08:00 in Tokyo: the window has ended
  CHECK(v.allowed);
  for (auto& r : fresh) r.time = at(27, 6);
  v = evaluate(staging_to_prod(), fresh, at(27, 6, 59));  // Fri 15:59 in Tokyo: not yet
  CHECK(v.allowed);
}

TEST_CASE("gate: a rollback goes through the same rules, its digest from the target's history", "[policy]") {
  PromotionRequest req = staging_to_prod();
  req.rollback = true;
  req.running_in_source = kDigestB;
  ApprovalRecord recent = approval("alice");
  recent.time = at(27, 7);
  GateVerdict v = evaluate(req, {recent}, at(27, 8));
  CHECK_FALSE(v.allowed);
  CHECK_FALSE(v.rule("digest")->passed);
  CHECK_FALSE(v.rule("freeze")->passed);
  CHECK_FALSE(v.rule("approvals")->passed);
  try {
    require_allowed(v, req);
    FAIL("not refused");
  } catch (const GateRefused& e) {
    CHECK(e.code() == ExitCode::gate_refused);
    CHECK(std::string(e.what()) ==
          "rollback of api in prod to sha256:aaaaaaaaaaaa refused:\n"
          "  digest: sha256:aaaaaaaaaaaa was never promoted into prod: a rollback only returns to a digest from "
          "prod's history\n"
          "  freeze: prod is frozen now (Fri 17:00 +09:00) by 'Fri 16:00 - Mon 08:00 +09:00'\n"
          "  approvals: 1 of 2 approvals for sha256:aaaaaaaaaaaa (alice); 1 more needed from bob, carol, dave");
  }
  // What the source runs does not matter for a rollback; having run in the target before does.
  req.in_target_history = true;
  CHECK(evaluate(req, kTwoApprovals).allowed);
  req.in_target_history = false;
  req.running_in_source = kDigestA;
  CHECK_FALSE(evaluate(req, kTwoApprovals).allowed);
}

TEST_CASE("gate: a refusal is exit code 3 and names every failed rule", "[policy]") {
  PromotionRequest req = staging_to_prod();
  req.from = "qa";
  const GateVerdict v = evaluate(req, {});
  try {
    require_allowed(v, req);
    FAIL("not refused");
  } catch (const Error& e) {
    CHECK(to_int(e.code()) == 3);
    CHECK(std::string(e.what()) ==
          "promotion of api from qa to prod refused:\n"
          "  order: prod is promoted from staging, not from qa (order qa -> staging -> prod)\n"
          "  approvals: 0 of 2 approvals for sha256:aaaaaaaaaaaa; 2 more needed from alice, bob, carol, dave");
  }
}

TEST_CASE("gate: unknown environments are input errors", "[policy]") {
  const Policy policy = load_policy(kGatePolicy, "hoist.yaml");
  ScriptedSignatures signatures;
  PromotionRequest req = staging_to_prod();
  req.to = "production";
  CHECK_THROWS_WITH(evaluate_gate(policy, req, {}, kNow, signatures),
                    "hoist.yaml has no environment 'production'; its environments: qa, staging, prod");
  req = staging_to_prod();
  req.from = "stagin";
  CHECK_THROWS_WITH(evaluate_gate(policy, req, {}, kNow, signatures),
                    "hoist.yaml has no environment 'stagin' (did you mean 'staging'?); its environments: qa, staging, prod");
}

TEST_CASE("gate: describe lists every rule and every record for --plan", "[policy]") {
  const GateVerdict v = evaluate(staging_to_prod(), {approval("alice"), approval("mallory")});
  CHECK(v.describe() ==
        "  ok    order: staging -> prod follows the order qa -> staging -> prod\n"
        "  ok    digest: staging runs sha256:aaaaaaaaaaaa, the digest being promoted\n"
        "  ok    freeze: now is outside prod's freeze windows\n"
        "  FAIL  approvals: 1 of 2 approvals for sha256:aaaaaaaaaaaa (alice); 1 more needed from bob, carol, dave\n"
        "  approval by alice at 2026-11-25T11:00:00Z: counted\n"
        "  approval by mallory at 2026-11-25T11:00:00Z: not counted: mallory is not an approver of prod "
        "(approvers: alice, bob, carol, dave)\n");
}
