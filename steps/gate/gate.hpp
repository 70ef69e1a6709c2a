#pragma once
// The gate in front of an environment: given the policy, what is being promoted, the approvals on record and the
// time, decide whether the promotion may go ahead, and say why rule by rule (for `--plan` and for the refusal
// message). Pure decision logic: the caller reads the policy, the environments' digests, the approval records and
// the builders' identities from the manifest repository and the registry, and passes them in.
//
// Rules, all evaluated every time (a refusal lists every reason at once):
//   order      the target's `after` is the source environment (qa -> prod skipping staging is refused)
//   lineage    the digest reached the source through Hoist: a promotion from the source's own `after` (recording
//              the commit that ran it there), and so on back to the first environment, where a pipeline's bump
//              brought it; a hand edit anywhere breaks the chain (steps/gate/lineage.hpp)
//   digest     the digest being promoted is the one running in the source environment now
//   newer      the build is not older than the one the target runs (steps/gate/build_order.hpp), unless
//              --allow-older; not checked for a rollback
//   tag        every tag written names the promoted digest in the registry now (a tag that moved, or that never
//              named it, would make the target run an image nobody approved), is an OCI tag, and a target with
//              `pin: digest` records the digest
// (lineage and tag are checked by the caller, who reads git and the registry, and passed in the request.)
//   soak       the digest has run in the source at least the target gate's `soak` (steps/gate/soak.hpp)
//   freeze     now is in none of the target's freeze windows (each in its own UTC offset), or a break-glass
//              override: a reason and the policy's freeze_override approvals (steps/gate/break_glass.hpp)
//   approvals  enough distinct allowed approvers approved this digest of this app into this environment, within
//              approval_ttl, not the promoter or a builder (unless self_approval), signed when `signed: true`
// A rollback goes through the same rules, except `digest`: an older digest is by design not what the source runs
// now, so for a rollback the rule is that the digest was promoted into the target before (it appears in the target
// branch's history). Order, freeze and approvals (for that exact digest) apply unchanged.

#include <optional>
#include <string>
#include <vector>

#include "runner/util/errors.hpp"
#include "steps/gate/approval_record.hpp"
#include "steps/gate/policy.hpp"
#include "steps/gate/ssh_signature.hpp"

namespace hoist::promote {

struct GateRule {
  std::string name;     // "order", "lineage", "digest", "newer", "tag", "soak", "freeze", "approvals"
  bool passed = false;
  std::string message;  // one human sentence
};

struct PromotionRequest {
  std::string app;
  std::string from;                               // source environment
  std::string to;                                 // target environment
  std::string digest;                             // being promoted
  std::optional<std::string> running_in_source;   // the digest the source environment runs now, if any
  std::string promoter;                           // who runs the promotion (an identity; mapped through the policy)
  std::vector<std::string> builders;              // who built or bumped the digest (commit authors, Hoist-Actor)
  bool rollback = false;
  bool in_target_history = false;                 // rollback: the digest was promoted into `to` before
  // Checked by the caller against the manifest repository and the registry (Promoter::prepare), passed in as rules:
  std::optional<GateRule> lineage;                // the digest reached `from` through Hoist, back to the first env
  std::optional<GateRule> tag;                    // the tag written names `digest` in the registry; pinning
  std::optional<GateRule> newer;                  // not older than what `to` runs (steps/gate/build_order.hpp)
  std::optional<GateRule> soak;                   // ran in `from` at least the gate's `soak` (steps/gate/soak.hpp)
  std::string freeze_override_reason;             // --freeze-override REASON (steps/gate/break_glass.hpp)
};

struct RecordVerdict {
  ApprovalRecord record;
  bool counted = false;
  std::string reason;   // why it was not counted, or "counted"
};

struct GateVerdict {
  bool allowed = false;                 // every rule passed
  std::vector<GateRule> rules;          // in the order above
  std::vector<RecordVerdict> records;   // one per record given, in the same order
  std::vector<std::string> approved_by; // the distinct approvers that counted, in record order
  std::vector<std::string> freeze_override_by;  // with --freeze-override: the freeze_override approvers that counted
  bool freeze_overridden = false;       // frozen now, and passed by break-glass (the commit records it)

  const GateRule* rule(std::string_view name) const;
  // "  ok    order: ...\n  FAIL  approvals: ...\n" then the records that were not counted, for --plan.
  std::string describe() const;
};

// A time from the system clock, for production callers.
TimePoint now_utc();

// Tolerated clock skew: an approval dated later than now plus this does not count.
inline constexpr std::chrono::seconds kMaxClockSkew{300};

// Evaluates every rule. Throws InputError when `from` or `to` is not an environment of the policy. Calls `signatures`
// only for records that would otherwise count, and only when the target's gate has `signed: true`.
GateVerdict evaluate_gate(const Policy& policy, const PromotionRequest& request,
                          const std::vector<ApprovalRecord>& records, TimePoint now, SignatureChecker& signatures);

// A refused gate: exit code 3. The message lists the failed rules.
class GateRefused : public Error {
 public:
  explicit GateRefused(const std::string& message) : Error(message, ExitCode::gate_refused) {}
};

// Throws GateRefused("promotion of APP to ENV refused: ...") unless the verdict allows the promotion.
void require_allowed(const GateVerdict& verdict, const PromotionRequest& request);

}  // namespace hoist::promote
