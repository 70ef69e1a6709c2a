#pragma once
// Retrying what a registry may fail transiently (408, 429, 500, 502, 503, 504, a reset or cut connection):
// exponential backoff with full jitter, Retry-After honoured (seconds or an HTTP date, capped), bounded attempts.
// The unit retried is whatever the caller passes: one request, or a whole blob upload from its POST, so an upload is
// never resumed from a half-consumed stream.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "runner/util/errors.hpp"
#include "steps/registry/http.hpp"

namespace hoist::registry {

struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds initial_delay{500};
  std::chrono::milliseconds max_delay{20000};
  std::chrono::milliseconds max_retry_after{60000};  // a longer Retry-After is shortened to this
};

// A failure worth another attempt. Thrown by the retried unit; with_retries rethrows the last one.
class RetryableError : public Error {
 public:
  explicit RetryableError(const std::string& message, std::optional<std::chrono::milliseconds> retry_after = {})
      : Error(message), retry_after_(retry_after) {}
  std::optional<std::chrono::milliseconds> retry_after() const { return retry_after_; }

 private:
  std::optional<std::chrono::milliseconds> retry_after_;
};

bool is_retryable_status(long status);
bool is_retryable_transport(TransportFailure kind);
// "120" or "Wed, 21 Oct 2015 07:28:00 GMT" (relative to `now`); nullopt when unparseable. Never negative.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);
// The wait before attempt `attempt + 1` (attempt counts from 1): Retry-After when given (capped), else a random
// delay in [d/2, d] with d = initial_delay * 2^(attempt-1), capped at max_delay.
std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int attempt,
                                      std::optional<std::chrono::milliseconds> retry_after);

void sleep_for_retry(std::chrono::milliseconds delay);

// Calls `unit` until it returns, throws something other than RetryableError/retryable TransportError, or the
// attempts are used up (then the last error is rethrown with "(after N attempts)": a TransportError stays one, so
// "could not reach" keeps its exit code).
template <typename F>
auto with_retries(const RetryPolicy& policy, const Logger& log, F&& unit) -> decltype(unit()) {
  for (int attempt = 1;; ++attempt) {
    std::optional<std::chrono::milliseconds> retry_after;
    std::optional<TransportFailure> transport;
    std::string message;
    try {
      return unit();
    } catch (const RetryableError& e) {
      retry_after = e.retry_after();
      message = e.what();
    } catch (const TransportError& e) {
      if (!is_retryable_transport(e.kind()) || e.retried_out()) throw;
      transport = e.kind();
      message = e.what();
    }
    if (attempt >= policy.max_attempts) {
      std::string last = message + " (after " + std::to_string(attempt) + " attempts)";
      if (transport) throw TransportError(*transport, last, /*retried_out=*/true);
      throw Error(last);
    }
    auto delay = retry_delay(policy, attempt, retry_after);
    if (log) log("retrying in " + std::to_string(delay.count()) + " ms: " + message);
    sleep_for_retry(delay);
  }
}

}  // namespace hoist::registry
