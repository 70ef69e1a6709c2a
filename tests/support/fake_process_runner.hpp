#pragma once
// A ProcessRunner for tests (after ninja's FakeCommandRunner): runs nothing, records every ProcessSpec it was given,
// and answers with scripted output lines and a scripted ProcessResult. Thread-safe, for executor tests that run
// steps in parallel.
//
// How a call is answered, first match wins:
//   1. the oldest result queued with push_result() (each is used once);
//   2. the handler set with set_handler(), which may print, look at the spec, wait on the cancel token, etc.;
//   3. the default: lines from set_output(), then the result from set_result() (exit 0 unless set).
// Handlers and sinks are called without the lock held, so a handler may block while other calls proceed.

#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runner/process/process.hpp"

namespace hoist::test {

struct FakeLine {
  std::string text;
  OutputStream stream = OutputStream::out;
};

class FakeProcessRunner : public ProcessRunner {
 public:
  using Handler = std::function<ProcessResult(const ProcessSpec&, const LineSink&, const CancelToken&)>;

  ProcessResult run(const ProcessSpec& spec, const LineSink& on_line, const CancelToken& cancel) override {
    std::optional<Scripted> queued;
    Handler handler;
    Scripted fallback;
    {
      std::lock_guard lock(mutex_);
      specs_.push_back(spec);
      if (!queue_.empty()) {
        queued = std::move(queue_.front());
        queue_.pop_front();
      } else {
        handler = handler_;
        fallback = default_;
      }
    }
    if (!queued && handler) return handler(spec, on_line, cancel);
    const Scripted& answer = queued ? *queued : fallback;
    for (const auto& line : answer.lines)
      if (on_line) on_line(line.text, line.stream);
    return answer.result;
  }

  // Every spec run() was called with, in call order.
  std::vector<ProcessSpec> specs() const {
    std::lock_guard lock(mutex_);
    return specs_;
  }
  std::size_t calls() const {
    std::lock_guard lock(mutex_);
    return specs_.size();
  }

  // The answer for one future call (queued in order), with optional output lines.
  void push_result(ProcessResult result, std::vector<FakeLine> lines = {}) {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(result), std::move(lines)});
  }
  // The default answer.
  void set_result(ProcessResult result) {
    std::lock_guard lock(mutex_);
    default_.result = std::move(result);
  }
  void set_exit_code(int code) {
    ProcessResult result;
    result.exit_code = code;
    set_result(result);
  }
  // Lines printed by every call answered with the default.
  void set_output(std::vector<FakeLine> lines) {
    std::lock_guard lock(mutex_);
    default_.lines = std::move(lines);
  }
  // Decides every call that has no queued result.
  void set_handler(Handler handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
  }

  // A result with just an exit code, for push_result/set_result.
  static ProcessResult exited(int code) {
    ProcessResult result;
    result.exit_code = code;
    return result;
  }

 private:
  struct Scripted {
    ProcessResult result = exited(0);
    std::vector<FakeLine> lines;
  };

  mutable std::mutex mutex_;
  std::vector<ProcessSpec> specs_;
  std::deque<Scripted> queue_;
  Handler handler_;
  Scripted default_;
};

}  // namespace hoist::test
