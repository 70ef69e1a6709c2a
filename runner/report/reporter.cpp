// The small non-virtual parts of the reporter interface: status names and the run's overall verdict.

#include "runner/report/reporter.hpp"

namespace hoist {

const char* to_string(StepStatus s) {
  switch (s) {
    case StepStatus::succeeded: return "succeeded";
    case StepStatus::failed: return "failed";
    case StepStatus::skipped: return "skipped";
    case StepStatus::not_selected: return "not_selected";
    case StepStatus::cancelled: return "cancelled";
  }
  return "failed";
}

bool RunSummary::ok() const {
  if (interrupted) return false;
  for (const auto& s : steps)
    if (s.status == StepStatus::failed || s.status == StepStatus::cancelled) return false;
  return true;
}

ExitCode RunSummary::exit_code() const {
  if (interrupted) return ExitCode::interrupted;
  for (const auto& s : steps) {
    if (s.status == StepStatus::failed) return s.failure;
    if (s.status == StepStatus::cancelled) return ExitCode::step_failed;
  }
  return ExitCode::ok;
}

}  // namespace hoist
