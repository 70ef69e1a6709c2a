#pragma once
// Turning Ctrl-C and `kill` into an orderly stop. While an InterruptGuard lives, SIGINT and SIGTERM do not kill
// hoist: they set a CancelToken, and the running steps see it, kill their children's process groups and fail as
// "interrupted" (exit code 130). Children run in their own process groups, so a terminal's Ctrl-C reaches only hoist.

#include <atomic>
#include <csignal>
#include <thread>

#include "runner/util/cancel.hpp"
#include "runner/util/unique_fd.hpp"

namespace hoist {

class InterruptGuard {
 public:
  // Installs the handlers. Only one guard may be alive at a time; a second throws hoist::Error.
  explicit InterruptGuard(CancelToken& token);
  // Restores the dispositions SIGINT and SIGTERM had before, then stops the watcher thread.
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The first of SIGINT/SIGTERM that arrived while the guard was alive; 0 if none did.
  int received() const { return received_.load(); }

 private:
  void watch();

  CancelToken& token_;
  Pipe pipe_;  // the handler writes the signal number here; watch() reads it and cancels the token
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  std::atomic<int> received_{0};
  std::thread watcher_;
};

}  // namespace hoist
