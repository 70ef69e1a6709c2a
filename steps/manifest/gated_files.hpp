#pragma once
// A bump must not write a gated environment's values files on that environment's branch: that is a promotion, and
// only `hoist promote` checks its gate. The policy (hoist.yaml on the manifest repository's default branch, where
// promotion reads it) says which branch and files each environment has; a repository without one has no gates.
// This stops mistakes, not an attacker, who can push with git: SECURITY.md says which server settings do.

#include <optional>
#include <string>
#include <vector>

#include "steps/manifest/bump_spec.hpp"
#include "steps/gate/policy.hpp"

namespace hoist {

// The environments of POLICY whose gate needs approvals, whose branch is BRANCH and whose values file (for some app)
// is one of FILES, as "prod (api-gateway/prod.values.yaml)".
std::vector<std::string> gated_files(const promote::Policy& policy, const std::string& branch,
                                     const std::vector<std::string>& files);

// The policy file a bump reads from the default branch (in its own fetch: BumpRequest::policy_file).
inline constexpr const char* kPolicyFile = "hoist.yaml";

// Throws GateRefused (exit 3) naming the environment and `hoist promote` when the bump of step STEP_ID would write
// a gated environment's files under POLICY (the text of hoist.yaml). No hoist.yaml (or no default branch to read it
// from) or one with errors: nothing to refuse here.
void refuse_gated_bump(const BumpSpec& spec, const std::string& step_id, const std::optional<std::string>& policy);

}  // namespace hoist
