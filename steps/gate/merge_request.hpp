#pragma once
// Promotion by merge request (`via: merge_request` on an environment, docs/DESIGN.md "Protected production"): where
// the production branch is protected, the promotion commit is pushed to Hoist's own branch
// hoist/promote/<app>/<env>/<digest12> (replaced on a re-run, the only forced push Hoist makes) and a merge (pull)
// request into the environment's branch is opened, or the open one updated. Its description is the plan; the
// commit status hoist/gate on its head says whether Hoist's gate allows it (success) or not (failure), so branch
// protection that requires the status makes the gate server-side. `hoist approve` and `hoist gate-status` set the
// status again; `hoist promote --merge` merges it when the gate allows; people may merge it in the forge's UI.
//
//   propose:  Promoter::apply onto the proposal branch -> open_or_update -> set_status(head, verdict)
//   refresh:  the branch's head -> set_status(head, verdict)            (approve, gate-status)
//   merge:    require_allowed -> Forge::merge(head, promotion_message)  (promote --merge)

#include <memory>
#include <string>

#include "steps/forge/forge.hpp"
#include "steps/forge/forge_api.hpp"
#include "steps/gate/promotion.hpp"

namespace hoist::promote {

inline constexpr const char* kGateContext = "hoist/gate";

// How to reach the forge of an environment promoted by merge request.
struct ForgeAccess {
  std::string repo_url;          // the manifest repository (the forge's project and API are derived from it)
  std::string token;             // given by the step or command; else the forge's variable in http.env
  forge::ForgeHttpOptions http;  // env (tokens, proxies), log
};

// "hoist/promote/<app>/<env>/<first 12 hex digits of the digest>".
std::string proposal_branch(const std::string& app, const std::string& env, const std::string& digest);

// The forge client for ENV (which has `via: merge_request`). Throws InputError without a token or an address.
std::unique_ptr<forge::Forge> open_forge(const Environment& env, const ForgeAccess& access);

// The request's description (Markdown): the registry operations, every gate rule's verdict and the approvals, the
// values diff and what it renders to, and how to approve.
std::string proposal_description(const PromotionPlan& plan);

// hoist/gate for a verdict: success when it allows, else failure naming the failed rules (one line).
forge::CommitStatus gate_status(const GateVerdict& verdict, const std::string& url);

struct Proposal {
  std::string branch;            // the proposal branch
  std::string commit;            // its head: the promotion commit
  forge::MergeRequest request;
  bool created = false;          // a new request (else the open one was updated)
};

// Pushes the promotion commit onto the proposal branch (from the target branch's tip), opens the request or updates
// the open one, and sets hoist/gate on its head. Throws InputError when the target already runs the digest.
Proposal propose(Promoter& promoter, const PromotionPlan& plan, const BumpEnv& env, forge::Forge& forge);

// The promotion a proposal branch holds, planned again now (approve, gate-status): OPTIONS as given, except that the
// promoter is whoever proposed it (the Hoist-Promoted-By trailer of the branch's head), since the gate's rule
// against self-approval is about them, not about whoever refreshes the status.
PromotionPlan plan_of_proposal(Promoter& promoter, ManifestRepo& repo, PromoteOptions options);

// Why HEAD, the head of PLAN's proposal branch, is not the commit Hoist proposed; "" when it is: one parent, in the
// target branch's history, changing only the target file, to exactly what the promotion writes there, with the
// promoted digest in its Hoist-Image-Digest. Anyone who can push to the branch could otherwise have a gate that
// allows the approved digest vouch for a commit that changes something else.
std::string proposal_problem(Promoter& promoter, ManifestRepo& repo, const PromotionPlan& plan,
                             const std::string& head);

struct Refreshed {
  std::optional<forge::MergeRequest> request;  // the open request, if any
  std::string problem;                          // proposal_problem: then hoist/gate is failure whatever the verdict
};

// Sets hoist/gate on the head of PLAN's proposal branch: PLAN's verdict when the head is the commit Hoist proposed,
// else failure naming what is wrong with it. Throws hoist::Error when there is no proposal branch.
Refreshed refresh_status(Promoter& promoter, ManifestRepo& repo, const PromotionPlan& plan, forge::Forge& forge);

// Merges the proposal with a merge commit whose message is the promotion's (Hoist-* trailers, approvals as of now).
// Throws GateRefused (exit 3) unless the verdict allows; returns the merge commit.
std::string merge_proposal(const PromotionPlan& plan, const Proposal& proposal, forge::Forge& forge);

}  // namespace hoist::promote
