// See delivery.hpp.
#include "steps/notify/delivery.hpp"

#include "runner/util/errors.hpp"

namespace hoist {

Delivery deliver(const std::string& url, const NotifyMessage& message, const WebhookLimits& limits,
                 const CancelToken& cancel) {
  Delivery d;
  d.target = webhook_display(url);
  const std::string failed = "notification to " + d.target + " failed: ";
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    d.problem = failed + "the webhook is not an http(s) URL";
    return d;
  }
  try {
    WebhookResponse r = post_webhook(url, slack_payload(message).dump(-1, ' ', false,
                                                                      nlohmann::json::error_handler_t::replace),
                                     limits, cancel);
    d.http_status = r.status;
    d.ok = r.ok();
    if (!d.ok) d.problem = failed + "HTTP " + std::to_string(r.status);
  } catch (const Error& e) {
    if (e.code() == ExitCode::interrupted) throw;
    d.problem = failed + e.what();
  }
  return d;
}

}  // namespace hoist
