#pragma once
// A flag that tells running work to stop (SIGINT/SIGTERM, a step's timeout), and a sleep that wakes when it is set.

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace hoist {

class CancelToken {
 public:
  void cancel() {
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
    }
    cv_.notify_all();
  }
  bool cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }
  // Sleeps up to `d`; returns true when woken by cancel().
  bool sleep_for(std::chrono::milliseconds d) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, d, [this] { return cancelled_; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  bool cancelled_ = false;
};

}  // namespace hoist
