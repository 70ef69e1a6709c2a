#pragma once
// Pipeline-level `notify:` hooks: after a run, post the hooks for how it ended (on_success when every step succeeded
// or was skipped, on_failure when one failed), each with the run summary: pipeline name, status, failed steps,
// duration, who, and the pipeline link. Not run for plan mode or an interrupted run. `on_promotion` hooks are
// posted per promotion (promotion_hooks.hpp).

#include <vector>

#include "runner/pipeline/pipeline.hpp"
#include "runner/pipeline/template.hpp"
#include "runner/pipeline/variables.hpp"
#include "runner/report/reporter.hpp"
#include "runner/util/cancel.hpp"
#include "steps/notify/slack_payload.hpp"
#include "steps/notify/webhook.hpp"

namespace hoist {

// The message a hook posts for `summary` (exposed for tests).
NotifyMessage hook_message(const Pipeline& pipeline, const NotifyHook& hook, const RunSummary& summary,
                           const Variables& vars);

// ${NAME} from the run's variables, ${steps.ID.OUTPUT} from any step's outputs (empty when that step set none).
Resolver run_resolver(const RunSummary& summary, const Variables& vars);

// Posts one hook: renders its webhook with `resolve`, posts `message`, and says how it went (fails_run when it
// failed and the hook says on_error: fail). Throws only hoist::Error(interrupted) when `cancel` is set.
NotificationResult post_hook(const NotifyHook& hook, const NotifyMessage& message, const Resolver& resolve,
                             const CancelToken& cancel, const WebhookLimits& limits);

// Posts each matching hook in file order and reports each outcome to `reporter`. Never throws for a failed
// notification (see NotificationResult::fails_run); throws hoist::Error(interrupted) when `cancel` is set.
std::vector<NotificationResult> run_notify_hooks(const Pipeline& pipeline, const RunSummary& summary,
                                                 const Variables& vars, Reporter& reporter, const CancelToken& cancel,
                                                 const WebhookLimits& limits = {});

}  // namespace hoist
