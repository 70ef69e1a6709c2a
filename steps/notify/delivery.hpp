#pragma once
// One notification attempt, as both the `notify` step and the pipeline-level hooks need it: build the payload, post
// it, and describe the outcome in words that never contain the webhook URL (only its scheme and host).

#include <string>

#include "runner/util/cancel.hpp"
#include "steps/notify/slack_payload.hpp"
#include "steps/notify/webhook.hpp"

namespace hoist {

struct Delivery {
  bool ok = false;
  long http_status = 0;  // 0 when no answer came
  std::string target;    // webhook_display(url)
  std::string problem;   // when !ok: "notification to https://host/… failed: HTTP 500"
};

// Never throws, except hoist::Error with ExitCode::interrupted when `cancel` is set during the request.
Delivery deliver(const std::string& url, const NotifyMessage& message, const WebhookLimits& limits,
                 const CancelToken& cancel);

}  // namespace hoist
