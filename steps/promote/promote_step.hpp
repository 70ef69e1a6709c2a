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
//
// promote's outputs: commit, digest, tag, allowed, changed ("true" when the environment moved), app, from (empty for
// a rollback), to, promoter, approvers (comma-separated, the ones the gate counted) and change (a one-line summary);
// promotion_notice reads them back for the pipeline's on_promotion hooks.

#include <memory>
#include <optional>

#include "runner/exec/promotion_notice.hpp"
#include "runner/exec/step_kind.hpp"
#include "runner/report/reporter.hpp"

namespace hoist {

// `post_hooks` posts the policy's on_promotion hooks after a promotion (runner/cli/builtin_kinds hands it in).
std::unique_ptr<StepKind> make_promote_step(PostPromotionHooks post_hooks);
std::unique_ptr<StepKind> make_approve_step();

// The notice for a `promote` step that succeeded and moved its environment; nullopt for any other step result
// (pipeline_commands posts the pipeline's on_promotion hooks with it; the pipeline link is the caller's).
std::optional<PromotionNotice> promotion_notice(const StepResult& result);

}  // namespace hoist
