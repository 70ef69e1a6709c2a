#pragma once
// Turns libcurl's upload callbacks for one blob into BlobProgress events for whoever listens (a step's reporter):
// `uploading` ticks at most every `interval` (the first bytes at once, then ≤10 a second by default, however often
// libcurl calls), and one event when the blob is done. A finished upload always shows its last tick at 100% first,
// so even a blob faster than the interval is seen as bytes and a rate. A retried upload starts counting again.
// Thread-safe: libcurl's callback and the code that finishes the blob may run on different threads.

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "runner/report/blob_progress.hpp"

namespace hoist::registry {

class BlobMeter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::chrono::milliseconds default_interval{100};

  // An empty `sink` makes every call a no-op.
  BlobMeter(BlobProgressSink sink, std::string digest, std::uint64_t total,
            std::chrono::milliseconds interval = default_interval,
            Clock clock = [] { return std::chrono::steady_clock::now(); });

  bool active() const { return static_cast<bool>(sink_); }
  // An upload attempt begins: the clock for the rate starts, the count returns to zero.
  void start();
  // libcurl says `sent` bytes of the body went out.
  void sent(std::uint64_t sent);
  // The blob is done (pushed, mounted, skipped or failed).
  void finish(BlobProgress::State state);

 private:
  BlobProgress event(BlobProgress::State state, std::uint64_t sent) const;  // needs mutex_ held

  BlobProgressSink sink_;
  std::string digest_;
  std::uint64_t total_;
  std::chrono::milliseconds interval_;
  Clock clock_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point started_{};
  std::chrono::steady_clock::time_point last_tick_{};
  std::uint64_t sent_ = 0;
  std::uint64_t last_sent_ = 0;  // in the last tick; 0 before the first
};

}  // namespace hoist::registry
