// Evaluating a promotion gate rule by rule (see gate.hpp).
#include "steps/gate/gate.hpp"

#include <algorithm>
#include <set>

#include "runner/util/duration.hpp"

namespace hoist::promote {
namespace {

// "sha256:0123456789ab": enough to tell digests apart in a sentence.
std::string short_digest(std::string_view digest) {
  constexpr std::size_t keep = std::string_view("sha256:").size() + 12;
  return digest.size() > keep ? std::string(digest.substr(0, keep)) : std::string(digest);
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

// "qa -> staging -> prod": the chain of `after` ending at `env`.
std::string chain_to(const Policy& policy, const Environment& env) {
  std::vector<std::string> chain{env.name};
  const Environment* cur = &env;
  while (!cur->after.empty() && chain.size() <= policy.environments.size()) {
    cur = policy.find(cur->after);
    if (!cur) break;
    chain.insert(chain.begin(), cur->name);
  }
  return join(chain, " -> ");
}

GateRule order_rule(const Policy& policy, const Environment& to, const PromotionRequest& req) {
  if (to.after.empty())
    return {"order", false, "'" + to.name + "' is not promoted into: it has no 'after' in " + policy.file};
  if (to.after == req.from)
    return {"order", true, req.from + " -> " + to.name + " follows the order " + chain_to(policy, to)};
  return {"order", false,
          to.name + " is promoted from " + to.after + ", not from " + req.from + " (order " + chain_to(policy, to) +
              ")"};
}

GateRule digest_rule(const PromotionRequest& req) {
  if (req.rollback) {
    if (req.in_target_history)
      return {"digest", true, short_digest(req.digest) + " was promoted into " + req.to + " before (rollback)"};
    return {"digest", false, short_digest(req.digest) + " was never promoted into " + req.to +
                                 ": a rollback only returns to a digest from " + req.to + "'s history"};
  }
  if (!req.running_in_source)
    return {"digest", false, "nothing is running in " + req.from + ", so " + short_digest(req.digest) + " is not"};
  if (*req.running_in_source == req.digest)
    return {"digest", true, req.from + " runs " + short_digest(req.digest) + ", the digest being promoted"};
  return {"digest", false,
          req.from + " runs " + short_digest(*req.running_in_source) + ", not " + short_digest(req.digest)};
}

GateRule freeze_rule(const Environment& to, TimePoint now, const PromotionRequest& req,
                     const std::vector<std::string>& breakers, bool& overridden) {
  if (to.gate.freeze.empty()) return {"freeze", true, to.name + " has no freeze windows"};
  const FreezeWindow* frozen = nullptr;
  for (const auto& w : to.gate.freeze)
    if (w.contains(now)) frozen = &w;
  if (!frozen) return {"freeze", true, "now is outside " + to.name + "'s freeze windows"};
  const std::string why =
      to.name + " is frozen now (" + format_local_time(now, frozen->offset_minutes()) + ") by '" + frozen->text() + "'";
  const auto& fo = to.gate.freeze_override;
  if (req.freeze_override_reason.empty())
    return {"freeze", false, why + (fo ? "; break-glass needs --freeze-override REASON and " +
                                             std::to_string(fo->approvals) + " freeze_override approval" +
                                             (fo->approvals == 1 ? "" : "s")
                                       : "")};
  if (!fo)
    return {"freeze", false, why + ", and " + to.name + "'s gate has no freeze_override: nothing gets past it"};
  const int have = static_cast<int>(breakers.size());
  if (have < fo->approvals)
    return {"freeze", false, why + "; the override needs " + std::to_string(fo->approvals) +
                                 " freeze_override approval" + (fo->approvals == 1 ? "" : "s") + " for " +
                                 short_digest(req.digest) + ", has " + std::to_string(have) +
                                 (have ? " (" + join(breakers) + ")" : "")};
  overridden = true;
  return {"freeze", true, why + "; overridden (\"" + req.freeze_override_reason + "\") with the approval of " +
                              join(breakers)};
}

// Why a record does not count for this promotion among ALLOWED people, or "" when it does. ALREADY holds those
// counted so far (each person counts once); WHAT names the list in the message.
struct RecordCheck {
  const Policy& policy;
  const Gate& gate;
  const PromotionRequest& req;
  const std::string& env;
  TimePoint now;
  SignatureChecker& signatures;
  std::string promoter;
  std::set<std::string> builders;

  std::string problem(const ApprovalRecord& r, const std::vector<std::string>& allowed,
                      const std::vector<std::string>& already, const std::string& what) {
    const std::string who = policy.user_for(r.approver);
    if (r.app != req.app) return "not counted: it is for app " + r.app + ", not " + req.app;
    if (r.environment != env) return "not counted: it is for environment " + r.environment + ", not " + env;
    if (r.digest != req.digest)
      return "not counted: it is for " + short_digest(r.digest) + ", not " + short_digest(req.digest);
    if (r.time + gate.approval_ttl <= now)
      return "not counted: it expired at " + format_rfc3339(r.time + gate.approval_ttl) + " (approval_ttl " +
             format_duration(gate.approval_ttl) + ")";
    if (r.time > now + kMaxClockSkew) return "not counted: it is dated in the future";
    if (std::find(allowed.begin(), allowed.end(), who) == allowed.end())
      return "not counted: " + who + " is not " + what + (allowed.empty() ? "" : " (approvers: " + join(allowed) + ")");
    if (!gate.self_approval && who == promoter)
      return "not counted: " + who + " is promoting this digest and cannot approve it (self_approval: false)";
    if (!gate.self_approval && builders.count(who))
      return "not counted: " + who + " built or bumped this digest and cannot approve it (self_approval: false)";
    if (std::find(already.begin(), already.end(), who) != already.end())
      return "not counted: " + who + " has already approved (each person counts once)";
    if (!gate.signed_approvals) return "";
    if (!r.signature) return "not counted: it is not signed (signed: true)";
    SignatureCheck check{true, ""};
    try {
      check = signatures.verify(r.signed_text ? *r.signed_text : canonical_text(r), *r.signature, r.approver,
                                gate.allowed_signers);
    } catch (const InputError& e) {
      check = {false, std::string("it is malformed: ") + e.what()};
    }
    return check.valid ? "" : "not counted: " + check.reason;
  }
};

}  // namespace

const GateRule* GateVerdict::rule(std::string_view name) const {
  for (const auto& r : rules)
    if (r.name == name) return &r;
  return nullptr;
}

std::string GateVerdict::describe() const {
  std::string out;
  for (const auto& r : rules) out += std::string(r.passed ? "  ok    " : "  FAIL  ") + r.name + ": " + r.message + "\n";
  for (const auto& r : records)
    out += "  approval by " + r.record.approver + " at " + format_rfc3339(r.record.time) + ": " + r.reason + "\n";
  return out;
}

TimePoint now_utc() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

GateVerdict evaluate_gate(const Policy& policy, const PromotionRequest& req, const std::vector<ApprovalRecord>& records,
                          TimePoint now, SignatureChecker& signatures) {
  policy.environment(req.from);  // throws for an unknown name
  const Environment& to = policy.environment(req.to);
  const Gate& gate = to.gate;

  GateVerdict v;
  const std::vector<std::string> allowed = policy.approvers_of(to);
  RecordCheck check{policy, gate, req, to.name, now, signatures, policy.user_for(req.promoter), {}};
  const std::string& promoter = check.promoter;
  std::set<std::string>& builders = check.builders;
  for (const auto& b : req.builders) builders.insert(policy.user_for(b));

  for (const auto& r : records) {
    RecordVerdict rv{r, false, check.problem(r, allowed, v.approved_by, "an approver of " + to.name)};
    if (rv.reason.empty()) {
      rv.counted = true;
      rv.reason = gate.signed_approvals ? "counted (signature verified)" : "counted";
      v.approved_by.push_back(policy.user_for(r.approver));
    }
    v.records.push_back(std::move(rv));
  }
  if (gate.freeze_override && !req.freeze_override_reason.empty()) {
    const std::vector<std::string> breakers = policy.people(gate.freeze_override->approvers);
    for (const auto& r : records)
      if (check.problem(r, breakers, v.freeze_override_by, "a freeze_override approver").empty())
        v.freeze_override_by.push_back(policy.user_for(r.approver));
  }

  v.rules.push_back(order_rule(policy, to, req));
  if (req.lineage) v.rules.push_back(*req.lineage);
  v.rules.push_back(digest_rule(req));
  if (req.newer) v.rules.push_back(*req.newer);
  if (req.tag) v.rules.push_back(*req.tag);
  if (req.soak) v.rules.push_back(*req.soak);
  v.rules.push_back(freeze_rule(to, now, req, v.freeze_override_by, v.freeze_overridden));

  const int have = static_cast<int>(v.approved_by.size());
  const std::string of = std::to_string(std::min(have, gate.approvals)) + " of " + std::to_string(gate.approvals);
  if (gate.approvals == 0) {
    v.rules.push_back({"approvals", true, to.name + " needs no approvals"});
  } else if (have >= gate.approvals) {
    v.rules.push_back({"approvals", true, of + " approvals for " + short_digest(req.digest) + ": " +
                                               join(v.approved_by)});
  } else {
    std::vector<std::string> could;
    for (const auto& a : allowed) {
      const bool used = std::find(v.approved_by.begin(), v.approved_by.end(), a) != v.approved_by.end();
      const bool self = !gate.self_approval && (a == promoter || builders.count(a));
      if (!used && !self) could.push_back(a);
    }
    std::string msg = of + " approvals for " + short_digest(req.digest);
    if (have > 0) msg += " (" + join(v.approved_by) + ")";
    msg += "; " + std::to_string(gate.approvals - have) + " more needed";
    msg += could.empty() ? ", and nobody else may approve" : " from " + join(could);
    v.rules.push_back({"approvals", false, msg});
  }

  v.allowed = std::all_of(v.rules.begin(), v.rules.end(), [](const GateRule& r) { return r.passed; });
  return v;
}

void require_allowed(const GateVerdict& verdict, const PromotionRequest& req) {
  if (verdict.allowed) return;
  std::string msg = req.rollback ? "rollback of " + req.app + " in " + req.to + " to " + short_digest(req.digest)
                                 : "promotion of " + req.app + " from " + req.from + " to " + req.to;
  msg += " refused:";
  for (const auto& r : verdict.rules)
    if (!r.passed) msg += "\n  " + r.name + ": " + r.message;
  throw GateRefused(msg);
}

}  // namespace hoist::promote
