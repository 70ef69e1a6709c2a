#pragma once
// The one Reporter the executor talks to. It fans every event out to the reporters the CLI chose (text or JSON on
// stdout, JUnit and dotenv files), serialises the calls (the executor reports from several threads), and masks
// secrets in every string first, so that no implementation can print a secret even by mistake.
//
// Blob progress: every event is forwarded; the ones saying a blob is done also go into the step's log as a line.
//
// Step output for reports: the hub keeps the (masked) lines each step printed, per step id, and fills
// StepResult::output_lines with them in step_finished and in pipeline_finished when the executor left them empty.
// Lines of every attempt are kept, with a "[hoist] retrying in 2s (attempt N): REASON" line between attempts; at most
// the last 1 MiB per step is kept, preceded by a "[hoist] N earlier lines omitted" line.
//
// The Step and Pipeline references given to reporters are masked copies owned by the hub; a reporter must not keep
// a Step reference beyond the call (add_secret replaces the copies).

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/report/reporter.hpp"
#include "runner/util/secrets.hpp"

namespace hoist {

class ReporterHub : public Reporter {
 public:
  static constexpr size_t max_output_bytes_per_step = 1 << 20;

  explicit ReporterHub(SecretMasker masker = {});

  // Reporters receive events in the order they were added. Not to be called while a pipeline runs.
  void add(std::unique_ptr<Reporter> reporter);
  // A value that became secret during the run (e.g. a token a step produced). Thread-safe.
  void add_secret(std::string_view value);
  // Masks `text` with the hub's secrets: for the CLI's own messages (errors) that do not go through a reporter.
  std::string mask(std::string_view text) const;

  // Each forwards a masked copy of its arguments to every reporter. If a reporter throws, the others still get the
  // event and the first exception is rethrown afterwards.
  void pipeline_started(const Pipeline& pipeline, Mode mode) override;
  void step_started(const Step& step, int attempt) override;
  void step_output(const Step& step, std::string_view line, OutputStream stream) override;
  void step_retrying(const Step& step, int attempt, const std::string& reason,
                     std::chrono::milliseconds delay) override;
  // Forwards every tick; a blob that is done also becomes a line of the step's log ("pushed sha256:… 1.2 MiB in
  // 0.3s"), so JUnit keeps it.
  void blob_progress(const Step& step, const BlobProgress& progress) override;
  void step_finished(const Step& step, const StepResult& result) override;
  void pipeline_finished(const RunSummary& summary) override;
  void notification_finished(const NotificationResult& result) override;

 private:
  struct StepLog {
    std::deque<std::string> lines;
    size_t bytes = 0;
    size_t omitted = 0;
  };

  const Step& masked(const Step& step);         // cached per step id; needs mutex_ held
  StepResult masked(const StepResult& result);  // with output_lines filled from the log; needs mutex_ held
  void append_log(const std::string& id, std::string line);
  template <typename F> void forward(F&& call);

  mutable std::mutex mutex_;
  SecretMasker masker_;
  std::vector<std::unique_ptr<Reporter>> reporters_;
  std::optional<Pipeline> masked_pipeline_;
  std::map<std::string, Step> masked_steps_;  // by the original step id
  std::map<std::string, StepLog> logs_;
};

}  // namespace hoist
