#include "runner/exec/executor.hpp"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "runner/pipeline/pipeline_graph.hpp"
#include "runner/pipeline/template.hpp"
#include "runner/util/duration.hpp"
#include "runner/util/errors.hpp"

namespace hoist {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kMaxRetryDelay = std::chrono::minutes(5);
constexpr std::chrono::milliseconds kPollInterval{50};

std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

}  // namespace

struct Executor::State {
  enum class Phase { pending, running, done };
  struct Slot {
    Phase phase = Phase::pending;
    StepResult result;
    bool failure_upstream = false;  // it failed, was cancelled, or was skipped because something before it failed
    std::shared_ptr<CancelToken> cancel;
    std::optional<Clock::time_point> deadline;
    std::thread thread;
  };

  const Pipeline& pipeline;
  const StepRegistry& kinds;
  const Variables& vars;
  ProcessRunner& processes;
  Reporter& reporter;
  const CancelToken& interrupt;
  ExecutorOptions options;
  PipelineGraph graph;

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Slot> slots;
  int running = 0;

  State(const Pipeline& p, const StepRegistry& k, const Variables& v, ProcessRunner& pr, Reporter& r,
        const CancelToken& i, ExecutorOptions o)
      : pipeline(p), kinds(k), vars(v), processes(pr), reporter(r), interrupt(i), options(std::move(o)), graph(p),
        slots(p.steps.size()) {
    if (options.jobs <= 0) options.jobs = std::max(1u, std::thread::hardware_concurrency());
    for (size_t i = 0; i < slots.size(); ++i) {
      slots[i].result.id = p.steps[i].id;
      slots[i].result.kind = p.steps[i].kind;
    }
  }

  // --- deciding what runs -----------------------------------------------------------------------------------------

  bool deps_done(size_t i) const {
    for (size_t d : graph.deps(i))
      if (slots[d].phase != Phase::done) return false;
    return true;
  }

  // For a step whose dependencies are done: empty when it should run, else the result it ends with unrun.
  std::optional<StepResult> decide(size_t i) {
    const Step& step = pipeline.steps[i];
    StepResult r = slots[i].result;
    if (interrupt.cancelled()) {
      r.status = StepStatus::cancelled;
      r.reason = "interrupted before it started";
      return r;
    }
    if (!options.only.empty() && !options.only.count(step.id)) {
      r.status = StepStatus::not_selected;
      r.reason = "not selected by --only";
      return r;
    }
    std::string failed_dep;
    for (size_t d : graph.deps(i))
      if (slots[d].failure_upstream && failed_dep.empty()) failed_dep = pipeline.steps[d].id;
    if (step.when == When::on_success && !failed_dep.empty()) {
      r.status = StepStatus::skipped;
      r.reason = "needed step '" + failed_dep + "' did not succeed";
      slots[i].failure_upstream = true;
      return r;
    }
    if (step.when == When::on_failure && failed_dep.empty()) {
      r.status = StepStatus::skipped;
      r.reason = "when: on_failure, and nothing before it failed";
      return r;
    }
    return std::nullopt;
  }

  // Ends unrun steps and starts runnable ones, until nothing more changes. Called with the mutex held.
  void schedule(std::unique_lock<std::mutex>& lock) {
    bool progress = true;
    while (progress) {
      progress = false;
      for (size_t i = 0; i < slots.size(); ++i) {
        if (slots[i].phase != Phase::pending || !deps_done(i)) continue;
        if (auto unrun = decide(i)) {
          finish(i, std::move(*unrun), lock);
          progress = true;
        } else if (running < options.jobs) {
          start(i);
          progress = true;
        }
      }
    }
  }

  void finish(size_t i, StepResult r, std::unique_lock<std::mutex>& lock) {
    Slot& slot = slots[i];
    slot.phase = Phase::done;
    if (r.status == StepStatus::failed || r.status == StepStatus::cancelled) slot.failure_upstream = true;
    slot.result = r;
    lock.unlock();
    reporter.step_finished(pipeline.steps[i], r);
    lock.lock();
  }

  void start(size_t i) {
    Slot& slot = slots[i];
    slot.phase = Phase::running;
    ++running;
    slot.thread = std::thread([this, i] { run_step(i); });
  }

  // --- running one step -------------------------------------------------------------------------------------------

  std::optional<std::string> output_of(const Reference& ref) {
    std::lock_guard lock(mutex);
    auto target = graph.index_of(ref.name);
    if (!target) return std::nullopt;
    const StepResult& r = slots[*target].result;
    if (auto it = r.outputs.find(ref.output); it != r.outputs.end()) return it->second;
    if (options.mode == Mode::plan) return "<" + ref.spelled.substr(2, ref.spelled.size() - 3) + ">";
    if (r.status == StepStatus::not_selected)
      throw Error("'" + ref.spelled + "' is not available: step '" + ref.name + "' was not selected by --only");
    return std::nullopt;
  }

  Resolver resolver() {
    return [this](const Reference& ref) -> std::optional<std::string> {
      if (ref.kind == Reference::Kind::variable) return vars.get(ref.name);
      return output_of(ref);
    };
  }

  YAML::Node render_yaml(const YAML::Node& node, const Resolver& resolve, const std::string& file) {
    if (!node || node.IsNull()) return YAML::Node();
    if (node.IsScalar()) {
      Text t{node.Scalar(), Location{file, node.Mark().line + 1, node.Mark().column + 1}, node.Tag() == "!"};
      return YAML::Node(render(t, resolve));
    }
    YAML::Node out;
    if (node.IsSequence()) {
      out = YAML::Node(YAML::NodeType::Sequence);
      for (const auto& item : node) out.push_back(render_yaml(item, resolve, file));
    } else if (node.IsMap()) {
      out = YAML::Node(YAML::NodeType::Map);
      for (auto it = node.begin(); it != node.end(); ++it)
        out[render_yaml(it->first, resolve, file).Scalar()] = render_yaml(it->second, resolve, file);
    }
    return out;
  }

  void attempt(size_t i, const CancelToken& cancel, std::optional<Clock::time_point> deadline) {
    const Step& step = pipeline.steps[i];
    const StepKind* kind = kinds.find(step.kind);
    if (!kind) throw InputError("unknown step kind '" + step.kind + "'");
    Resolver resolve = resolver();
    StepContext ctx{.step = step,
                    .mode = options.mode,
                    .with = render_yaml(step.with, resolve, pipeline.file),
                    .run = render(step.run, resolve),  // empty unless the step has `run:`
                    .env = vars.child_environment(),
                    .working_dir = step.working_dir ? render(*step.working_dir, resolve) : std::string(),
                    .deadline = deadline,
                    .cancel = cancel,
                    .processes = processes,
                    .print = [this, &step](std::string_view line, OutputStream s) { reporter.step_output(step, line, s); },
                    .progress = [this, &step](const BlobProgress& p) { reporter.blob_progress(step, p); },
                    .outputs = {}};
    for (const auto& [name, text] : step.env) ctx.env[name] = render(text, resolve);
    if (options.mode == Mode::plan)
      kind->plan(ctx);
    else
      kind->apply(ctx);
    std::lock_guard lock(mutex);
    slots[i].result.outputs = std::move(ctx.outputs);
  }

  void run_step(size_t i) {
    const Step& step = pipeline.steps[i];
    const auto started = Clock::now();
    StepResult r;
    {
      std::lock_guard lock(mutex);
      r = slots[i].result;
    }
    auto delay = step.retries.delay;
    for (int n = 1;; ++n) {
      auto cancel = std::make_shared<CancelToken>();
      std::optional<Clock::time_point> deadline;
      if (step.timeout) deadline = Clock::now() + *step.timeout;
      {
        std::lock_guard lock(mutex);
        slots[i].cancel = cancel;
        slots[i].deadline = deadline;
        if (interrupt.cancelled()) cancel->cancel();
      }
      r.attempts = n;
      reporter.step_started(step, n);
      std::string reason;
      ExitCode failure = ExitCode::step_failed;
      bool says_timed_out = false;
      try {
        attempt(i, *cancel, deadline);
        r.status = StepStatus::succeeded;
        r.reason.clear();
        break;
      } catch (const TimeoutError& e) {
        reason = e.what();
        says_timed_out = true;
      } catch (const Error& e) {
        reason = e.what();
        failure = e.code();
      } catch (const std::exception& e) {
        reason = e.what();
      }
      if (interrupt.cancelled() || failure == ExitCode::interrupted) {
        r.status = StepStatus::cancelled;
        r.reason = "interrupted";
        break;
      }
      if (deadline && Clock::now() >= *deadline && !says_timed_out) {
        reason = "timed out after " + format_duration(*step.timeout) + ": " + reason;
        failure = ExitCode::step_failed;
      }
      r.status = StepStatus::failed;
      r.reason = reason;
      // What the command exits with: bad input and gate refusals as they are; anything else (a registry's "not
      // found" included, which only `hoist image digest` tells apart) is a failed step.
      r.failure = failure == ExitCode::bad_input || failure == ExitCode::gate_refused ? failure : ExitCode::step_failed;
      if (n > step.retries.count) break;
      reporter.step_retrying(step, n + 1, reason, delay);
      if (interrupt.sleep_for(delay)) {
        r.status = StepStatus::cancelled;
        r.reason = "interrupted";
        break;
      }
      delay = std::min(delay * 2, kMaxRetryDelay);
    }
    r.duration = since(started);
    std::unique_lock lock(mutex);
    r.outputs = slots[i].result.outputs;
    slots[i].cancel.reset();
    --running;
    finish(i, std::move(r), lock);
    changed.notify_all();
  }

  // Cancels running steps on interrupt, and those past their deadline.
  void enforce_limits() {
    const auto now = Clock::now();
    for (auto& slot : slots) {
      if (slot.phase != Phase::running || !slot.cancel) continue;
      if (interrupt.cancelled() || (slot.deadline && now >= *slot.deadline)) slot.cancel->cancel();
    }
  }

  RunSummary run() {
    const auto started = Clock::now();
    reporter.pipeline_started(pipeline, options.mode);
    {
      std::unique_lock lock(mutex);
      for (;;) {
        enforce_limits();
        schedule(lock);
        bool all_done = std::all_of(slots.begin(), slots.end(), [](const Slot& s) { return s.phase == Phase::done; });
        if (all_done) break;
        changed.wait_for(lock, kPollInterval);
      }
    }
    for (auto& slot : slots)
      if (slot.thread.joinable()) slot.thread.join();
    RunSummary summary;
    summary.pipeline = pipeline.name;
    summary.file = pipeline.file;
    summary.mode = options.mode;
    summary.interrupted = interrupt.cancelled();
    for (auto& slot : slots) summary.steps.push_back(slot.result);
    summary.duration = since(started);
    reporter.pipeline_finished(summary);
    return summary;
  }
};

Executor::Executor(const Pipeline& pipeline, const StepRegistry& kinds, const Variables& vars,
                   ProcessRunner& processes, Reporter& reporter, const CancelToken& interrupt,
                   ExecutorOptions options)
    : state_(std::make_unique<State>(pipeline, kinds, vars, processes, reporter, interrupt, std::move(options))) {}

Executor::~Executor() = default;

RunSummary Executor::run() { return state_->run(); }

}  // namespace hoist
