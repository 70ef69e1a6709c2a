#pragma once
// A bump must not write a gated environment's values files on that environment's branch: that is a promotion, and
// only `hoist promote` checks its gate. The policy (hoist.yaml on the manifest repository's default branch, where
// promotion reads it) says which branch and files each environment has; a repository without one has no gates.
// This stops mistakes, not an attacker, who can push with git: SECURITY.md says which server settings do.

#include <string>
#include <vector>

#include "runner/exec/step_kind.hpp"
#include "steps/manifest/bump_spec.hpp"
#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist {

// The environments of POLICY whose gate needs approvals, whose branch is BRANCH and whose values file (for some app)
// is one of FILES, as "prod (api-gateway/prod.values.yaml)".
std::vector<std::string> gated_files(const promote::Policy& policy, const std::string& branch,
                                     const std::vector<std::string>& files);

// Reads the policy of SPEC's repository and throws GateRefused (exit 3) naming the environment and `hoist promote`
// when the bump would write a gated environment's files. No hoist.yaml, one with errors, or no default branch to
// read it from: nothing to refuse here.
void refuse_gated_bump(promote::ManifestRepo& repo, const BumpSpec& spec, StepContext& ctx);

// How SPEC reaches its repository for reading (the same credentials as the bump).
promote::ManifestAccess manifest_access_for(const BumpSpec& spec, StepContext& ctx);

}  // namespace hoist
