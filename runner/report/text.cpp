// See text.hpp. Plain lines look like:
//   [test] ▶ started
//   [test] make: Nothing to be done for 'test'.
//   [test] ✓ succeeded in 1.2s
//   [deploy-qa] – skipped: needed step 'test' failed
// and the run ends with a table of every step and one line of counts.

#include "runner/report/text.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include "runner/util/duration.hpp"

namespace hoist {
namespace {

constexpr const char* bold = "\033[1m";
constexpr const char* dim = "\033[2m";
constexpr const char* red = "\033[31m";
constexpr const char* green = "\033[32m";
constexpr const char* yellow = "\033[33m";
constexpr const char* cyan = "\033[36m";
constexpr const char* grey = "\033[90m";
constexpr const char* reset = "\033[0m";

const char* symbol_of(StepStatus s) {
  switch (s) {
    case StepStatus::succeeded: return "✓";
    case StepStatus::failed: return "✗";
    case StepStatus::cancelled: return "✗";
    case StepStatus::skipped: return "–";
    case StepStatus::not_selected: return "–";
  }
  return "?";
}

const char* colour_of(StepStatus s) {
  switch (s) {
    case StepStatus::succeeded: return green;
    case StepStatus::failed: return red;
    case StepStatus::cancelled: return red;
    case StepStatus::skipped: return grey;
    case StepStatus::not_selected: return grey;
  }
  return "";
}

// How users read a status; to_string(StepStatus) is the machine form ("not_selected").
std::string label_of(StepStatus s) { return s == StepStatus::not_selected ? "not selected" : to_string(s); }

// Multi-line text (an error message, an output value) keeps the step prefix on every line.
std::string indent_lines(std::string_view text, const std::string& continuation) {
  std::string out;
  for (char c : text) {
    if (c == '\r') continue;
    out += c;
    if (c == '\n') out += continuation;
  }
  return out;
}

std::string pad(std::string s, size_t width) {
  size_t w = display_width(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

}  // namespace

TextStyle choose_text_style(bool stdout_is_tty, const std::map<std::string, std::string>& env) {
  auto set = [&env](const char* name) {
    auto it = env.find(name);
    return it != env.end() && !it->second.empty();
  };
  auto term = env.find("TERM");
  if (!stdout_is_tty || set("CI") || (term != env.end() && term->second == "dumb")) return TextStyle::plain;
  return set("NO_COLOR") ? TextStyle::tty_no_colour : TextStyle::tty;
}

int terminal_columns() {
  winsize ws{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) {
    int n = std::atoi(c);
    if (n > 0) return n;
  }
  return 80;
}

TextReporter::TextReporter(std::ostream& out, TextStyle style, std::function<int()> columns)
    : out_(out), style_(style), columns_(std::move(columns)) {}

void TextReporter::write(const std::string& lines) {
  out_ << bars_.erase() << lines << bars_.draw() << std::flush;
}

std::string TextReporter::paint(const char* ansi, std::string_view text) const {
  if (style_ != TextStyle::tty) return std::string(text);
  return std::string(ansi) + std::string(text) + reset;
}

// plain: "[id] ✓ "   tty: "✓ id " in the status colour
std::string TextReporter::prefix(const std::string& id, const char* symbol, const char* ansi) const {
  if (style_ == TextStyle::plain) return "[" + id + "] " + symbol + " ";
  return paint(ansi, std::string(symbol) + " " + id) + " ";
}

void TextReporter::pipeline_started(const Pipeline& pipeline, Mode mode) {
  mode_ = mode;
  std::string steps = std::to_string(pipeline.steps.size()) + (pipeline.steps.size() == 1 ? " step" : " steps");
  std::string line = mode == Mode::plan ? "Plan for pipeline " + pipeline.name + " (nothing will be changed)"
                                        : "Running pipeline " + pipeline.name;
  line += ": " + steps + " from " + pipeline.file;
  write(paint(mode == Mode::plan ? yellow : bold, line) + "\n");
}

void TextReporter::step_started(const Step& step, int attempt) {
  std::string what = mode_ == Mode::plan ? "planning" : "started";
  if (attempt > 1) what = "attempt " + std::to_string(attempt) + " " + what;
  write(prefix(step.id, "▶", cyan) + what + "\n");
}

void TextReporter::step_output(const Step& step, std::string_view line, OutputStream stream) {
  if (style_ == TextStyle::plain)
    write("[" + step.id + "] " + std::string(line) + "\n");
  else
    write(paint(stream == OutputStream::err ? red : dim, step.id + " │") + " " + std::string(line) + "\n");
}

void TextReporter::step_retrying(const Step& step, int attempt, const std::string& reason,
                                 std::chrono::milliseconds delay) {
  write(prefix(step.id, "↻", yellow) + "retrying in " + format_duration(delay) + " (attempt " +
        std::to_string(attempt) + "): " + indent_lines(reason, prefix(step.id, " ", dim)) + "\n");
}

// tty: the blob's bar while it uploads, then one final line in its place. plain: only the final line.
void TextReporter::blob_progress(const Step& step, const BlobProgress& p) {
  const std::string key = step.id + "\n" + p.digest;
  if (!p.done()) {
    if (style_ == TextStyle::plain) return;
    bars_.set(key, progress_bar_line("↑ " + step.id, p, columns_()));
    out_ << bars_.erase() << bars_.draw() << std::flush;
    return;
  }
  bars_.remove(key);
  const bool failed = p.state == BlobProgress::State::failed;
  const bool moved = p.state == BlobProgress::State::pushed || p.state == BlobProgress::State::mounted;
  write(prefix(step.id, failed ? "✗" : moved ? "✓" : "–", failed ? red : moved ? green : grey) + describe(p) + "\n");
}

void TextReporter::step_finished(const Step& step, const StepResult& result) {
  const std::string& id = result.id.empty() ? step.id : result.id;
  std::string line = prefix(id, symbol_of(result.status), colour_of(result.status));
  switch (result.status) {
    case StepStatus::succeeded:
      line += (mode_ == Mode::plan ? "planned in " : "succeeded in ") + format_duration(result.duration);
      if (result.attempts > 1) line += " (attempt " + std::to_string(result.attempts) + ")";
      break;
    case StepStatus::failed:
    case StepStatus::cancelled:
      line += label_of(result.status) + " in " + format_duration(result.duration);
      if (result.attempts > 1) line += " after " + std::to_string(result.attempts) + " attempts";
      if (!result.reason.empty()) line += ": " + result.reason;
      break;
    case StepStatus::skipped:
    case StepStatus::not_selected:
      line += label_of(result.status);
      if (!result.reason.empty()) line += ": " + result.reason;
      break;
  }
  const std::string continuation = prefix(id, " ", dim);
  std::string text = indent_lines(line, continuation) + "\n";
  if (result.status == StepStatus::succeeded)
    for (const auto& [name, value] : result.outputs)
      text += prefix(id, "→", dim) + name + " = " + indent_lines(value, continuation) + "\n";
  bars_.remove_prefix(step.id + "\n");  // a step that ends leaves no bar behind, whatever happened to its blobs
  write(text);
}

void TextReporter::pipeline_finished(const RunSummary& summary) {
  // The table: STEP STATUS DURATION ATTEMPTS, one row per step in file order.
  std::vector<std::array<std::string, 4>> rows;
  rows.push_back({"STEP", "STATUS", "DURATION", "ATTEMPTS"});
  for (const auto& s : summary.steps) {
    bool ran = s.attempts > 0;
    rows.push_back({s.id, label_of(s.status), ran ? format_duration(s.duration) : "-", std::to_string(s.attempts)});
  }
  std::array<size_t, 4> widths{};
  for (const auto& row : rows)
    for (size_t c = 0; c < 4; ++c) widths[c] = std::max(widths[c], display_width(row[c]));

  std::string text = "\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t c = 0; c < 4; ++c) {
      std::string cell = c == 3 ? rows[r][c] : pad(rows[r][c], widths[c] + 2);
      if (r == 0) cell = paint(bold, cell);
      else if (c == 1) cell = paint(colour_of(summary.steps[r - 1].status), cell);
      line += cell;
    }
    text += line + "\n";
  }

  // The counts: "pipeline api-gateway: 3 succeeded, 1 failed, 1 skipped in 4.2s".
  std::string counts;
  for (StepStatus st : {StepStatus::succeeded, StepStatus::failed, StepStatus::cancelled, StepStatus::skipped,
                        StepStatus::not_selected}) {
    auto n = std::count_if(summary.steps.begin(), summary.steps.end(), [st](const auto& s) { return s.status == st; });
    if (n == 0) continue;
    if (!counts.empty()) counts += ", ";
    counts += std::to_string(n) + " " + label_of(st);
  }
  if (counts.empty()) counts = "no steps";
  std::string line = (summary.mode == Mode::plan ? "plan for pipeline " : "pipeline ") + summary.pipeline + ": " +
                     counts + " in " + format_duration(summary.duration);
  if (summary.interrupted) line += "; interrupted";
  if (summary.mode == Mode::plan) line += " (nothing was changed)";
  text += paint(summary.ok() ? green : red, line) + "\n";
  bars_.remove_prefix("");
  write(text);
}

// "[notify] ✓ on_failure: posted to https://hooks.slack.com/… (HTTP 200)", or a warning (an error when it fails the
// run) saying why the notification failed.
void TextReporter::notification_finished(const NotificationResult& r) {
  std::string line;
  if (r.ok)
    line = prefix("notify", "✓", green) + r.event + ": posted to " + r.target + " (HTTP " +
           std::to_string(r.http_status) + ")";
  else
    line = prefix("notify", "✗", r.fails_run ? red : yellow) + (r.fails_run ? "error: " : "warning: ") + r.event +
           ": " + r.problem + (r.fails_run ? " (on_error: fail)" : "");
  write(line + "\n");
}

}  // namespace hoist
