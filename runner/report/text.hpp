#pragma once
// Human-readable progress on a terminal or in a CI log. Two layouts: `plain` (one prefixed line per event, no
// colour: CI logs, pipes, files) and `tty` (the same information with colour and a status symbol before each step
// id; `tty_no_colour` the same without colour, for NO_COLOR). Step lines are never rewritten; the one thing drawn in
// place on a terminal is a bar per blob being uploaded (live_bars.hpp), kept under the other lines and replaced by
// a final "✓ image pushed sha256:… 12.3 MiB in 310ms (39.7 MiB/s)" line when the blob is done. In plain layout each
// blob gets that one line when it is done and no bar.

#include <functional>
#include <map>
#include <ostream>
#include <string>

#include "runner/report/live_bars.hpp"
#include "runner/report/reporter.hpp"

namespace hoist {

enum class TextStyle { plain, tty, tty_no_colour };

// The CLI's choice: `plain` unless stdout is a terminal, CI is not set (non-empty) and TERM is not `dumb` (which
// cannot move the cursor); then `tty`, or `tty_no_colour` when NO_COLOR is set (non-empty).
TextStyle choose_text_style(bool stdout_is_tty, const std::map<std::string, std::string>& env);

// The width of the terminal on stdout (TIOCGWINSZ), else $COLUMNS, else 80.
int terminal_columns();

class TextReporter : public Reporter {
 public:
  // `columns` says how wide the terminal is now (asked at every redraw: terminals get resized); default
  // terminal_columns.
  TextReporter(std::ostream& out, TextStyle style, std::function<int()> columns = terminal_columns);

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
  std::string paint(const char* ansi, std::string_view text) const;
  std::string prefix(const std::string& id, const char* symbol, const char* ansi) const;

  // Writes `lines` (each ending in '\n') above the bars: erase them, write, draw them again.
  void write(const std::string& lines);

  std::ostream& out_;
  TextStyle style_;
  std::function<int()> columns_;
  LiveBars bars_;
  Mode mode_ = Mode::apply;
};

}  // namespace hoist
