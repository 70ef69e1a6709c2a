// See json.hpp.

#include "runner/report/json.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

namespace hoist {
namespace {

using json = nlohmann::ordered_json;  // keeps "event" first, as people read it

const char* mode_name(Mode m) { return m == Mode::plan ? "plan" : "apply"; }

json step_json(const StepResult& r) {
  return json{{"step", r.id},
              {"kind", r.kind},
              {"status", to_string(r.status)},
              {"duration_ms", r.duration.count()},
              {"attempts", r.attempts},
              {"outputs", r.outputs},
              {"reason", r.reason}};
}

}  // namespace

std::string format_utc_time(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  long frac = static_cast<long>(ms % 1000);
  if (frac < 0) {
    frac += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

JsonLinesReporter::JsonLinesReporter(std::ostream& out, Clock clock) : out_(out), clock_(std::move(clock)) {}

template <typename Json>
void JsonLinesReporter::emit(Json& event) {
  event["time"] = format_utc_time(clock_());
  // Step output is whatever a program printed: replace invalid UTF-8 rather than throw.
  out_ << event.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
}

void JsonLinesReporter::pipeline_started(const Pipeline& pipeline, Mode mode) {
  json steps = json::array();
  for (const auto& s : pipeline.steps) steps.push_back(s.id);
  json e{{"event", "pipeline_started"}, {"pipeline", pipeline.name}, {"file", pipeline.file},
         {"mode", mode_name(mode)}, {"steps", steps}};
  emit(e);
}

void JsonLinesReporter::step_started(const Step& step, int attempt) {
  json e{{"event", "step_started"}, {"step", step.id}, {"attempt", attempt}};
  emit(e);
}

void JsonLinesReporter::step_output(const Step& step, std::string_view line, OutputStream stream) {
  json e{{"event", "step_output"}, {"step", step.id}, {"stream", stream == OutputStream::err ? "stderr" : "stdout"},
         {"line", std::string(line)}};
  emit(e);
}

void JsonLinesReporter::step_retrying(const Step& step, int attempt, const std::string& reason,
                                      std::chrono::milliseconds delay) {
  json e{{"event", "step_retrying"}, {"step", step.id}, {"attempt", attempt}, {"reason", reason},
         {"delay_ms", delay.count()}};
  emit(e);
}

void JsonLinesReporter::blob_progress(const Step& step, const BlobProgress& p) {
  if (!p.done()) return;
  json e{{"event", "blob"},         {"step", step.id},  {"digest", p.digest},
         {"result", to_string(p.state)}, {"bytes", p.total}, {"sent", p.sent},
         {"duration_ms", p.elapsed.count()}, {"bytes_per_second", static_cast<std::uint64_t>(p.rate)}};
  emit(e);
}

void JsonLinesReporter::step_finished(const Step&, const StepResult& result) {
  json e = step_json(result);
  e["event"] = "step_finished";
  emit(e);
}

void JsonLinesReporter::pipeline_finished(const RunSummary& summary) {
  json counts = json::object();
  for (StepStatus st : {StepStatus::succeeded, StepStatus::failed, StepStatus::cancelled, StepStatus::skipped,
                        StepStatus::not_selected})
    counts[to_string(st)] = 0;
  json steps = json::array();
  for (const auto& s : summary.steps) {
    counts[to_string(s.status)] = counts[to_string(s.status)].get<int>() + 1;
    steps.push_back(step_json(s));
  }
  json e{{"event", "pipeline_finished"},
         {"pipeline", summary.pipeline},
         {"file", summary.file},
         {"mode", mode_name(summary.mode)},
         {"ok", summary.ok()},
         {"interrupted", summary.interrupted},
         {"duration_ms", summary.duration.count()},
         {"counts", counts},
         {"steps", steps}};
  emit(e);
}

void JsonLinesReporter::notification_finished(const NotificationResult& r) {
  json e{{"event", "notification"}, {"hook", r.event},   {"target", r.target},  {"ok", r.ok},
         {"http_status", r.http_status}, {"reason", r.problem}, {"fails_run", r.fails_run}};
  emit(e);
}

}  // namespace hoist
