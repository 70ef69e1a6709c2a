#pragma once
// Posting a JSON payload to a chat webhook (Slack and compatible), with libcurl. Deliberately minimal and local to
// steps/notify/: one POST, TLS verification on, bounded timeouts, no redirects. A webhook URL is a credential (the
// token is in its path), so nothing here ever puts it in a message: errors name only its scheme and host.

#include <chrono>
#include <string>
#include <string_view>

#include "runner/util/cancel.hpp"

namespace hoist {

struct WebhookLimits {
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds total{30'000};
};

struct WebhookResponse {
  long status = 0;     // the HTTP status code
  std::string body;    // at most a few KiB of what the receiver answered (never shown: it may echo the URL)
  bool ok() const { return status >= 200 && status < 300; }
};

// "https://hooks.slack.com/services/T0/B0/xyz" -> "https://hooks.slack.com/…". Userinfo, port, path and query
// are dropped; a string without "scheme://" becomes "(invalid URL)".
std::string webhook_display(std::string_view url);

// POSTs `json` with Content-Type: application/json. Throws hoist::Error (message free of the URL) when the request
// cannot be made or is cancelled; an HTTP error status is returned, not thrown.
WebhookResponse post_webhook(const std::string& url, const std::string& json, const WebhookLimits& limits,
                             const CancelToken& cancel);

}  // namespace hoist
