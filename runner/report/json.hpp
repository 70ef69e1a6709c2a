#pragma once
// Machine-readable progress (`--output json`): one JSON object per line per event, for tools that drive Hoist.
//   {"event":"step_started","step":"test","attempt":1,"time":"2026-01-02T03:04:05.678Z"}
// Events: pipeline_started {pipeline, file, mode, steps[]}, step_started {step, attempt},
// step_output {step, stream: "stdout"|"stderr", line}, step_retrying {step, attempt (the next), reason, delay_ms},
// blob {step, digest, result: pushed|mounted|skipped|failed, bytes (the blob's size), sent, duration_ms,
// bytes_per_second} once per blob when it is done (upload ticks are not events here),
// step_finished {step, kind, status, duration_ms, attempts, outputs{}, reason},
// pipeline_finished {pipeline, file, mode, ok, interrupted, duration_ms, counts{status: n}, steps[...]},
// then notification {hook: on_success|on_failure, target (scheme and host), ok, http_status, reason, fails_run}.
// Every event has "time" (UTC, milliseconds). Bytes that are not UTF-8 become U+FFFD.

#include <chrono>
#include <functional>
#include <ostream>

#include "runner/report/reporter.hpp"

namespace hoist {

class JsonLinesReporter : public Reporter {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  explicit JsonLinesReporter(std::ostream& out, Clock clock = [] { return std::chrono::system_clock::now(); });

  void pipeline_started(const Pipeline& pipeline, Mode mode) override;
  void step_started(const Step& step, int attempt) override;
  void step_output(const Step& step, std::string_view line, OutputStream stream) override;
  void step_retrying(const Step& step, int attempt, const std::string& reason,
                     std::chrono::milliseconds delay) override;
  void blob_progress(const Step& step, const BlobProgress& progress) override;
  void step_finished(const Step& step, const StepResult& result) override;
  void pipeline_finished(const RunSummary& summary) override;
  void notification_finished(const NotificationResult& result) override;

 private:
  template <typename Json> void emit(Json& event);

  std::ostream& out_;
  Clock clock_;
};

// "2026-01-02T03:04:05.678Z"
std::string format_utc_time(std::chrono::system_clock::time_point t);

}  // namespace hoist
