#pragma once
// A step kind ("run", "image/build", "manifest/bump", ...): validates its own `with` at load time and implements
// both plan (say exactly what it would do, change nothing) and apply. Kinds are registered in runner/cli/builtin_kinds.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/pipeline/kind_catalog.hpp"
#include "runner/pipeline/pipeline.hpp"
#include "runner/process/process.hpp"
#include "runner/report/blob_progress.hpp"
#include "runner/util/cancel.hpp"
#include "runner/util/diagnostics.hpp"
#include "runner/util/errors.hpp"

namespace hoist {

// Everything a step kind gets while it runs. Built by the executor for one attempt of one step.
struct StepContext {
  const Step& step;
  Mode mode = Mode::apply;
  YAML::Node with;                               // `with` with every ${...} resolved (null when absent)
  std::string run;                               // the resolved shell command of a run step
  std::map<std::string, std::string> env;        // full environment for child processes: process env, pipeline
                                                 // vars and built-ins, then the step's own `env`
  std::string working_dir;                       // resolved; empty means the current directory
  std::optional<std::chrono::steady_clock::time_point> deadline;  // from `timeout`
  const CancelToken& cancel;                     // set on SIGINT/SIGTERM and when the deadline passes
  ProcessRunner& processes;
  std::function<void(std::string_view line, OutputStream stream)> print;  // one line of step output
  BlobProgressSink progress;                     // blobs moving to a registry (may be empty: nobody listens)
  std::map<std::string, std::string> outputs;    // set by the kind; ${steps.ID.NAME} for later steps
};

// A kind reads its resolved `with` with the same readers validate() uses; whatever they still find (a value that a
// variable made wrong) fails the step: InputError("step 'ID': <the first problem>").
inline void throw_first_problem(const StepContext& ctx, const Diagnostics& problems) {
  if (!problems.empty()) throw InputError("step '" + ctx.step.id + "': " + problems.items().front().message);
}

// name, validate, outputs and secret_keys come from KindRules (runner/pipeline/kind_catalog.hpp).
class StepKind : public KindRules {
 public:
  // Both throw hoist::Error (or a subclass) to fail the step; the message is shown to the user.
  virtual void plan(StepContext& ctx) const = 0;
  virtual void apply(StepContext& ctx) const = 0;
};

}  // namespace hoist
