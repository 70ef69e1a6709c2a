#pragma once
// Runs a validated pipeline: each step when the steps it waits for are done, up to `jobs` at once, each attempt
// with its timeout and retries; a failed step stops its dependants unless their `when` says otherwise. Plan mode is
// the same loop calling each kind's plan() instead of apply().

#include <set>
#include <string>

#include "runner/exec/step_registry.hpp"
#include "runner/pipeline/pipeline.hpp"
#include "runner/pipeline/variables.hpp"
#include "runner/process/process.hpp"
#include "runner/report/reporter.hpp"
#include "runner/util/cancel.hpp"

namespace hoist {

struct ExecutorOptions {
  Mode mode = Mode::apply;
  int jobs = 0;                    // steps at once; 0: the number of cores
  std::set<std::string> only;      // when not empty, run only these steps
};

class Executor {
 public:
  // `interrupt` is set by SIGINT/SIGTERM: running steps are cancelled and nothing new starts.
  Executor(const Pipeline& pipeline, const StepRegistry& kinds, const Variables& vars, ProcessRunner& processes,
           Reporter& reporter, const CancelToken& interrupt, ExecutorOptions options);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  RunSummary run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace hoist
