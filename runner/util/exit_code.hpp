#pragma once

namespace hoist {

// The process exit codes promised in docs/DESIGN.md.
enum class ExitCode : int {
  ok = 0,
  step_failed = 1,
  bad_input = 2,
  gate_refused = 3,
  interrupted = 130,
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace hoist
