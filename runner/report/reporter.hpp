#pragma once
// What the executor tells the outside world while a pipeline runs. Implementations: text for terminals and CI logs,
// JSON lines, JUnit XML, dotenv. The executor calls a reporter from several threads; ReporterHub serialises the
// calls and masks secrets before any implementation sees a string.

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runner/pipeline/pipeline.hpp"
#include "runner/process/process.hpp"
#include "runner/report/blob_progress.hpp"
#include "runner/util/exit_code.hpp"

namespace hoist {

enum class StepStatus {
  succeeded,
  failed,
  skipped,        // its `when` condition did not hold (e.g. a needed step failed)
  not_selected,   // left out by --only
  cancelled,      // interrupted
};
const char* to_string(StepStatus s);

struct StepResult {
  std::string id;
  std::string kind;
  StepStatus status = StepStatus::succeeded;
  std::string reason;                         // why it failed or was skipped
  ExitCode failure = ExitCode::step_failed;   // when it failed: what its error says the command exits with (bad
                                              // input 2, a gate refusal 3, else 1)
  int attempts = 0;
  std::chrono::milliseconds duration{0};
  std::map<std::string, std::string> outputs;
  std::vector<std::string> output_lines;      // everything the step printed (masked), for JUnit; ReporterHub
                                              // fills it from step_output when the executor leaves it empty
};

struct RunSummary {
  std::string pipeline;
  std::string file;
  Mode mode = Mode::apply;
  std::vector<StepResult> steps;              // in file order
  std::chrono::milliseconds duration{0};
  bool interrupted = false;
  bool ok() const;
  // What the command exits with: 130 when interrupted, else the first failed step's (in file order), else 0.
  ExitCode exit_code() const;
};

// The outcome of one pipeline-level notify hook, posted after the run (steps/notify/hooks.hpp).
struct NotificationResult {
  std::string event;         // "on_success" or "on_failure"
  std::string target;        // the webhook's scheme and host only: "https://hooks.slack.com/…"
  bool ok = false;
  long http_status = 0;      // 0 when no answer came
  std::string problem;       // when !ok; never contains the webhook URL
  bool fails_run = false;    // on_error: fail, and it failed: the run exits 1
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void pipeline_started(const Pipeline& /*pipeline*/, Mode /*mode*/) {}
  virtual void step_started(const Step& /*step*/, int /*attempt*/) {}
  virtual void step_output(const Step& /*step*/, std::string_view /*line*/, OutputStream /*stream*/) {}
  // `attempt` is the attempt about to start after `delay` (2 after the first failure), as the executor calls it.
  virtual void step_retrying(const Step& /*step*/, int /*attempt*/, const std::string& /*reason*/,
                             std::chrono::milliseconds /*delay*/) {}
  // A blob a step moves to a registry: throttled `uploading` ticks, then one event when it is done.
  virtual void blob_progress(const Step& /*step*/, const BlobProgress& /*progress*/) {}
  virtual void step_finished(const Step& /*step*/, const StepResult& /*result*/) {}
  virtual void pipeline_finished(const RunSummary& /*summary*/) {}
  // After pipeline_finished, once per pipeline-level notify hook that was posted.
  virtual void notification_finished(const NotificationResult& /*result*/) {}
};

}  // namespace hoist
