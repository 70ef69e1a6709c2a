// See retry.hpp.

#include "steps/registry/retry.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <random>
#include <thread>

namespace hoist::registry {

bool is_retryable_status(long status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool is_retryable_transport(TransportFailure kind) {
  return kind == TransportFailure::resolve || kind == TransportFailure::connect ||
         kind == TransportFailure::tls_handshake || kind == TransportFailure::timeout ||
         kind == TransportFailure::send || kind == TransportFailure::receive;
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
  std::string v(value);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (v.size() > 9) return std::chrono::milliseconds(std::chrono::hours(24));
    return std::chrono::seconds(std::stol(v));
  }
  std::tm tm{};
  const char* end = strptime(v.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
  return std::max(wait, std::chrono::milliseconds(0));
}

std::chrono::milliseconds retry_delay(const RetryPolicy& policy, int attempt,
                                      std::optional<std::chrono::milliseconds> retry_after) {
  if (retry_after) return std::min(*retry_after, policy.max_retry_after);
  auto d = policy.initial_delay;
  for (int i = 1; i < attempt && d < policy.max_delay; ++i) d *= 2;
  d = std::min(d, policy.max_delay);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<long long> pick(d.count() / 2, std::max<long long>(d.count(), 0));
  return std::chrono::milliseconds(pick(rng));
}

void sleep_for_retry(std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); }

}  // namespace hoist::registry
