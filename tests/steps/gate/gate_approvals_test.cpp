// Counting approvals: distinct allowed approvers, for exactly this digest, app and environment, not expired, never
// the promoter or a builder unless self_approval is on; groups expanded and Bitbucket UUIDs mapped.
#include <catch2/catch.hpp>

#include "steps/gate/gate.hpp"
#include "tests/support/gate_fixtures.hpp"

using namespace std::chrono;
using namespace hoist;
using namespace hoist::promote;
using namespace hoist::test;

namespace {

const Policy& gate_policy() {
  static const Policy policy = load_policy(kGatePolicy, "hoist.yaml");
  return policy;
}

GateVerdict evaluate(const PromotionRequest& req, const std::vector<ApprovalRecord>& records,
                     const Policy& policy = gate_policy()) {
  ScriptedSignatures signatures;
  return evaluate_gate(policy, req, records, kNow, signatures);
}

// The reason given for each record, in order.
std::vector<std::string> reasons(const GateVerdict& v) {
  std::vector<std::string> out;
  for (const auto& r : v.records) out.push_back(r.reason);
  return out;
}

}  // namespace

TEST_CASE("approvals: two allowed people pass, one is not enough", "[policy]") {
  GateVerdict v = evaluate(staging_to_prod(), {approval("alice"), approval("carol")});
  CHECK(v.allowed);
  CHECK(v.approved_by == std::vector<std::string>{"alice", "carol"});
  CHECK(reasons(v) == std::vector<std::string>{"counted", "counted"});

  v = evaluate(staging_to_prod(), {approval("carol")});
  CHECK_FALSE(v.allowed);
  CHECK(v.rule("approvals")->message == "1 of 2 approvals for sha256:aaaaaaaaaaaa (carol); 1 more needed from "
                                        "alice, bob, dave");
}

TEST_CASE("approvals: the promoter cannot approve their own promotion", "[policy]") {
  PromotionRequest req = staging_to_prod();
  req.promoter = "alice";
  const GateVerdict v = evaluate(req, {approval("alice"), approval("carol")});
  CHECK_FALSE(v.allowed);
  CHECK(v.approved_by == std::vector<std::string>{"carol"});
  CHECK(v.records[0].reason ==
        "not counted: alice is promoting this digest and cannot approve it (self_approval: false)");
  CHECK(v.rule("approvals")->message == "1 of 2 approvals for sha256:aaaaaaaaaaaa (carol); 1 more needed from "
                                        "bob, dave");
}

TEST_CASE("approvals: whoever built or bumped the digest cannot approve it", "[policy]") {
  PromotionRequest req = staging_to_prod();
  req.builders = {"frank", "carol"};
  const GateVerdict v = evaluate(req, {approval("alice"), approval("carol")});
  CHECK_FALSE(v.allowed);
  CHECK(v.records[1].reason ==
        "not counted: carol built or bumped this digest and cannot approve it (self_approval: false)");
}

TEST_CASE("approvals: self_approval: true lets the promoter and builders count", "[policy]") {
  std::string text = kGatePolicy;
  text.replace(text.find("approval_ttl: 24h"), 17, "approval_ttl: 24h\n      self_approval: true");
  const Policy policy = load_policy(text, "hoist.yaml");
  PromotionRequest req = staging_to_prod();
  req.promoter = "alice";
  req.builders = {"carol"};
  const GateVerdict v = evaluate(req, {approval("alice"), approval("carol")}, policy);
  CHECK(v.allowed);
}

TEST_CASE("approvals: someone not in the approvers does not count", "[policy]") {
  const GateVerdict v = evaluate(staging_to_prod(), {approval("mallory"), approval("carol")});
  CHECK_FALSE(v.allowed);
  CHECK(v.records[0].reason ==
        "not counted: mallory is not an approver of prod (approvers: alice, bob, carol, dave)");
}

TEST_CASE("approvals: for another digest, environment or app they do not count", "[policy]") {
  ApprovalRecord other_digest = approval("alice");
  other_digest.digest = kDigestB;
  ApprovalRecord other_env = approval("bob");
  other_env.environment = "staging";
  ApprovalRecord other_app = approval("dave");
  other_app.app = "billing";
  const GateVerdict v = evaluate(staging_to_prod(), {other_digest, other_env, other_app, approval("carol")});
  CHECK_FALSE(v.allowed);
  CHECK(v.approved_by == std::vector<std::string>{"carol"});
  CHECK(reasons(v) == std::vector<std::string>{
                          "not counted: it is for sha256:bbbbbbbbbbbb, not sha256:aaaaaaaaaaaa",
                          "not counted: it is for environment staging, not prod",
                          "not counted: it is for app billing, not api",
                          "counted",
                      });
}

TEST_CASE("approvals: expired ones do not count, the TTL is exact to the second", "[policy]") {
  ApprovalRecord old = approval("alice");
  old.time = kNow - hours(24);
  ApprovalRecord just_in_time = approval("bob");
  just_in_time.time = kNow - hours(24) + seconds(1);
  GateVerdict v = evaluate(staging_to_prod(), {old, approval("carol")});
  CHECK_FALSE(v.allowed);
  CHECK(v.records[0].reason == "not counted: it expired at 2026-11-25T12:00:00Z (approval_ttl 24h)");
  v = evaluate(staging_to_prod(), {just_in_time, approval("carol")});
  CHECK(v.allowed);
}

TEST_CASE("approvals: dated in the future they do not count", "[policy]") {
  ApprovalRecord future = approval("alice");
  future.time = kNow + hours(2);
  ApprovalRecord skewed = approval("bob");
  skewed.time = kNow + minutes(4);  // within the tolerated clock skew
  const GateVerdict v = evaluate(staging_to_prod(), {future, skewed});
  CHECK(reasons(v) == std::vector<std::string>{"not counted: it is dated in the future", "counted"});
}

TEST_CASE("approvals: two approvals by the same person count once", "[policy]") {
  ApprovalRecord again = approval("alice");
  again.time = kNow - minutes(5);
  const GateVerdict v = evaluate(staging_to_prod(), {approval("alice"), again});
  CHECK_FALSE(v.allowed);
  CHECK(v.approved_by == std::vector<std::string>{"alice"});
  CHECK(v.records[1].reason == "not counted: alice has already approved (each person counts once)");
}

TEST_CASE("approvals: group members count as approvers", "[policy]") {
  const GateVerdict v = evaluate(staging_to_prod(), {approval("alice"), approval("bob")});  // both only in @sre
  CHECK(v.allowed);
  CHECK(v.approved_by == std::vector<std::string>{"alice", "bob"});
}

TEST_CASE("approvals: Bitbucket UUIDs are mapped through identities", "[policy]") {
  // dave approves under his UUID; alice promotes under hers, so her own approval does not count.
  PromotionRequest req = staging_to_prod();
  req.promoter = "{99999999-2222-3333-4444-555555555555}";
  const GateVerdict v = evaluate(req, {approval("{11111111-2222-3333-4444-555555555555}"), approval("alice"),
                                       approval("dave")});
  CHECK(v.approved_by == std::vector<std::string>{"dave"});
  CHECK(v.records[1].reason ==
        "not counted: alice is promoting this digest and cannot approve it (self_approval: false)");
  CHECK(v.records[2].reason == "not counted: dave has already approved (each person counts once)");
  CHECK_FALSE(v.allowed);
}

TEST_CASE("approvals: with signed: true, unsigned and badly signed records do not count", "[policy]") {
  const Policy policy = load_policy(R"(environments:
  staging: {branch: staging, file: s.yaml}
  prod:
    branch: master
    file: p.yaml
    after: staging
    gate:
      approvals: 2
      approvers: [alice, bob, carol]
      signed: true
      allowed_signers: "alice ssh-ed25519 AAAA\n"
)",
                                    "hoist.yaml");
  ApprovalRecord unsigned_record = approval("alice");
  ApprovalRecord bad = approval("bob");
  bad.signature = "forged";
  ApprovalRecord good = approval("carol");
  good.signature = "good";
  ScriptedSignatures signatures;
  const GateVerdict v = evaluate_gate(policy, staging_to_prod(), {unsigned_record, bad, good}, kNow, signatures);
  CHECK_FALSE(v.allowed);
  CHECK(reasons(v) == std::vector<std::string>{"not counted: it is not signed (signed: true)",
                                               "not counted: scripted: bad signature",
                                               "counted (signature verified)"});
  // The checker saw the canonical text, the record's approver as principal, and the policy's signers.
  REQUIRE(signatures.calls.size() == 2);
  CHECK(signatures.calls[1].content == canonical_text(good));
  CHECK(signatures.calls[1].principal == "carol");
  CHECK(signatures.calls[1].allowed_signers == "alice ssh-ed25519 AAAA\n");
}
