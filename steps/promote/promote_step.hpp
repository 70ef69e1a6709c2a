#pragma once
// The `promote` and `approve` step kinds: `hoist promote` / `hoist rollback` and `hoist approve` inside a pipeline.
// A pipeline is not interactive: the step file is the intent (as --yes), and the gate applies in full.
//
//   - id: to-prod
//     uses: promote
//     with: {app: api-gateway, from: staging, to: prod, repo: "${MANIFEST_REPO}"}   # digest, rollback: true
//   - id: ok-prod
//     uses: approve
//     with: {app: api-gateway, env: prod, repo: "${MANIFEST_REPO}"}      # digest, comment, sign_key
// Both also take username, password (else HOIST_GIT_*), ca_file. Plan mode prints what `hoist promote --plan`
// prints (and for approve, the record it would store).

#include <memory>

#include "runner/step_kind.hpp"

namespace hoist {

std::unique_ptr<StepKind> make_promote_step();
std::unique_ptr<StepKind> make_approve_step();

}  // namespace hoist
