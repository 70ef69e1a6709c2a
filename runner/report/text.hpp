#pragma once
// Human-readable progress on a terminal or in a CI log. Two styles: `plain` (one prefixed line per event, no
// colour: CI logs, pipes, files) and `tty` (the same information with colour and a status symbol before each step
// id; no cursor movement, so interleaved parallel steps and resized terminals stay readable).

#include <map>
#include <ostream>
#include <string>

#include "runner/reporter.hpp"

namespace hoist {

enum class TextStyle { plain, tty };

// The CLI's choice: `tty` when stdout is a terminal and neither CI nor NO_COLOR is set (non-empty) in `env`.
TextStyle choose_text_style(bool stdout_is_tty, const std::map<std::string, std::string>& env);

class TextReporter : public Reporter {
 public:
  TextReporter(std::ostream& out, TextStyle style);

  void pipeline_started(const Pipeline& pipeline, Mode mode) override;
  void step_started(const Step& step, int attempt) override;
  void step_output(const Step& step, std::string_view line, OutputStream stream) override;
  void step_retrying(const Step& step, int attempt, const std::string& reason,
                     std::chrono::milliseconds delay) override;
  void step_finished(const Step& step, const StepResult& result) override;
  void pipeline_finished(const RunSummary& summary) override;
  void notification_finished(const NotificationResult& result) override;

 private:
  std::string paint(const char* ansi, std::string_view text) const;
  std::string prefix(const std::string& id, const char* symbol, const char* ansi) const;

  std::ostream& out_;
  TextStyle style_;
  Mode mode_ = Mode::apply;
};

}  // namespace hoist
