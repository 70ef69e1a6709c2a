#pragma once
// Shared material for the gate tests: a policy with qa -> staging -> prod, a fixed clock, digests, approval records
// and a SignatureChecker that records its calls and answers as scripted.

#include <string>
#include <vector>

#include "runner/util/diagnostics.hpp"
#include "steps/gate/gate.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::test {

// What load_policy reports for TEXT read as hoist.yaml: every problem, sorted, one a line ("" when none).
inline std::string policy_problems(const std::string& text) {
  Diagnostics diags;
  promote::load_policy(text, "hoist.yaml", diags);
  return diags.format();
}

inline const char* kGatePolicy = R"(environments:
  qa: {branch: qa, file: "{app}/qa.yaml"}
  staging: {branch: staging, file: "{app}/staging.yaml", after: qa}
  prod:
    branch: master
    file: "{app}/prod.yaml"
    after: staging
    gate:
      approvals: 2
      approvers: [carol, "@sre", dave]
      freeze: ["Fri 16:00 - Mon 08:00 +09:00"]
      approval_ttl: 24h
groups: {sre: [alice, bob]}
identities: {"{11111111-2222-3333-4444-555555555555}": dave, "{99999999-2222-3333-4444-555555555555}": alice}
)";

inline const std::string kDigestA = "sha256:" + std::string(64, 'a');
inline const std::string kDigestB = "sha256:" + std::string(64, 'b');

// 2026-11-DAY HH:MM UTC (2026-11-23 is a Monday).
inline promote::TimePoint at(int day, int hour, int minute = 0) {
  using namespace std::chrono;
  return promote::TimePoint(sys_days{year{2026} / November / day}) + hours(hour) + minutes(minute);
}

// Wednesday noon UTC: no freeze.
inline const promote::TimePoint kNow = at(25, 12);

inline promote::PromotionRequest staging_to_prod() {
  promote::PromotionRequest r;
  r.app = "api";
  r.from = "staging";
  r.to = "prod";
  r.digest = kDigestA;
  r.running_in_source = kDigestA;
  r.promoter = "erin";
  r.builders = {"frank"};
  return r;
}

// An approval of kDigestA of "api" into prod, an hour before kNow.
inline promote::ApprovalRecord approval(const std::string& approver) {
  promote::ApprovalRecord r;
  r.app = "api";
  r.environment = "prod";
  r.digest = kDigestA;
  r.approver = approver;
  r.time = kNow - std::chrono::hours(1);
  return r;
}

class ScriptedSignatures : public promote::SignatureChecker {
 public:
  promote::SignatureCheck verify(std::string_view content, std::string_view signature, const std::string& principal,
                                 const std::string& allowed_signers) override {
    calls.push_back({std::string(content), std::string(signature), principal, allowed_signers});
    if (signature == "good") return {true, ""};
    return {false, "scripted: bad signature"};
  }
  struct Call {
    std::string content, signature, principal, allowed_signers;
  };
  std::vector<Call> calls;
};

}  // namespace hoist::test
