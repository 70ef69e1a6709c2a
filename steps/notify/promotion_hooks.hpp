#pragma once
// `on_promotion` hooks: when a promotion or rollback moved an environment, post a Slack-compatible message about it
// to each hook — the service, the environment (from → to), tag, digest, who, the approvers the gate counted, the
// pipeline link and the change as a code block. The hooks come from the pipeline file (`notify: on_promotion:`, for
// its `promote` steps) or from the manifest repository's policy (every promotion: `hoist promote` / `hoist rollback`
// and the `promote` step). A failed
// notification never undoes the promotion: it is a warning, or with `on_error: fail` an error after the fact.

#include <optional>
#include <vector>

#include "runner/exec/promotion_notice.hpp"
#include "runner/pipeline/pipeline.hpp"
#include "runner/pipeline/template.hpp"
#include "runner/report/reporter.hpp"
#include "runner/util/cancel.hpp"
#include "steps/notify/slack_payload.hpp"
#include "steps/notify/webhook.hpp"

namespace hoist {

// The message for `notice`; `text` (already rendered) replaces the default "api-gateway: staging → prod now runs
// 1.4.2 (sha256:0123456789ab)" / "api-gateway: prod rolled back to 1.4.1 (sha256:…)".
NotifyMessage promotion_message(const PromotionNotice& notice, const std::optional<std::string>& text = std::nullopt);

// Posts every `on_promotion` hook of `hooks` (others are skipped) in order, webhook and text rendered with `resolve`,
// and reports each outcome to `reporter`. Throws only hoist::Error(interrupted) when `cancel` is set.
std::vector<NotificationResult> post_promotion_hooks(const std::vector<NotifyHook>& hooks,
                                                     const PromotionNotice& notice, const Resolver& resolve,
                                                     Reporter& reporter, const CancelToken& cancel,
                                                     const WebhookLimits& limits = {});

}  // namespace hoist
