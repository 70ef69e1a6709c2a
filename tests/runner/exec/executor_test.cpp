// The executor's scheduling, failure propagation, retries, timeouts and plan mode, with a scripted step kind.
#include <catch2/catch.hpp>

#include <algorithm>

#include "runner/exec/executor.hpp"
#include "runner/pipeline/pipeline_check.hpp"
#include "runner/pipeline/pipeline_loader.hpp"
#include "tests/support/recording_reporter.hpp"
#include "tests/support/scripted_kind.hpp"

using namespace hoist;
using namespace std::chrono_literals;

namespace {

class NoProcesses : public ProcessRunner {
 public:
  ProcessResult run(const ProcessSpec&, const LineSink&, const CancelToken&) override {
    throw Error("no process may run in this test");
  }
};

struct Harness {
  StepRegistry kinds;
  test::ScriptedKind* kind;
  Pipeline pipeline;
  std::unique_ptr<Variables> vars;
  NoProcesses processes;
  test::RecordingReporter reporter;
  CancelToken interrupt;

  explicit Harness(const std::string& steps_yaml) {
    auto k = std::make_unique<test::ScriptedKind>("t");
    kind = k.get();
    kinds.add(std::move(k));
    Diagnostics d;
    pipeline = load_pipeline_text("version: 1\nname: p\nvars: {APP: api}\nsteps:\n" + steps_yaml, "p.yaml", kinds, d);
    check_pipeline(pipeline, kinds, {}, d);
    REQUIRE(d.format() == "");
    vars = std::make_unique<Variables>(pipeline, std::map<std::string, std::string>{},
                                       std::map<std::string, std::string>{}, std::map<std::string, std::string>{});
  }

  RunSummary run(ExecutorOptions o = {}) {
    return Executor(pipeline, kinds, *vars, processes, reporter, interrupt, o).run();
  }
};

const StepResult& result(const RunSummary& s, const std::string& id) {
  auto it = std::find_if(s.steps.begin(), s.steps.end(), [&](const StepResult& r) { return r.id == id; });
  REQUIRE(it != s.steps.end());
  return *it;
}

size_t pos(const std::vector<std::string>& v, const std::string& x) {
  return static_cast<size_t>(std::find(v.begin(), v.end(), x) - v.begin());
}

}  // namespace

TEST_CASE("steps run after what they need, and outputs flow downstream", "[executor]") {
  Harness h("  - {id: deploy, uses: t, needs: [image], with: {tag: '${steps.image.value}-${APP}'}}\n"
            "  - {id: image, uses: t, needs: [test], with: {outputs: {value: sha256:1}}}\n"
            "  - {id: test, uses: t}\n");
  RunSummary s = h.run({.mode = Mode::apply, .jobs = 4, .only = {}});
  CHECK(s.ok());
  CHECK(h.kind->started() == std::vector<std::string>{"test", "image", "deploy"});
  CHECK(h.kind->withs("deploy").at(0)["tag"].as<std::string>() == "sha256:1-api");
  CHECK(result(s, "image").outputs.at("value") == "sha256:1");
}

TEST_CASE("independent steps run in parallel up to --jobs", "[executor]") {
  const std::string steps = "  - {id: a, uses: t, with: {rendezvous: 2}}\n  - {id: b, uses: t, with: {rendezvous: 2}}\n";
  SECTION("two jobs: both are inside at once") {
    Harness h(steps);
    CHECK(h.run({.mode = Mode::apply, .jobs = 2, .only = {}}).ok());
  }
  SECTION("one job: the first waits alone and fails") {
    Harness h(steps);
    RunSummary s = h.run({.mode = Mode::apply, .jobs = 1, .only = {}});
    CHECK(result(s, "a").reason == "rendezvous of 2 not met");
  }
}

TEST_CASE("a failed step stops its dependants and when decides the rest", "[executor]") {
  Harness h("  - {id: build, uses: t, with: {fail_attempts: 1}}\n"
            "  - {id: push, uses: t, needs: [build]}\n"
            "  - {id: deploy, uses: t, needs: [push]}\n"
            "  - {id: rollback, uses: t, needs: [deploy], when: on_failure}\n"
            "  - {id: unrelated, uses: t}\n"
            "  - {id: cleanup, uses: t, when: always}\n"
            "  - {id: notify-ok, uses: t, needs: [unrelated], when: on_failure}\n");
  RunSummary s = h.run({.mode = Mode::apply, .jobs = 1, .only = {}});
  CHECK_FALSE(s.ok());
  CHECK(result(s, "build").status == StepStatus::failed);
  CHECK(result(s, "build").reason == "scripted failure 1");
  CHECK(result(s, "push").status == StepStatus::skipped);
  CHECK(result(s, "push").reason == "needed step 'build' did not succeed");
  CHECK(result(s, "deploy").status == StepStatus::skipped);
  CHECK(result(s, "rollback").status == StepStatus::succeeded);
  CHECK(result(s, "unrelated").status == StepStatus::succeeded);
  CHECK(result(s, "notify-ok").status == StepStatus::skipped);
  CHECK(result(s, "cleanup").status == StepStatus::succeeded);
  // cleanup has no needs and `when: always`: it waits for every step written before it.
  auto started = h.kind->started();
  CHECK(pos(started, "cleanup") > pos(started, "unrelated"));
  CHECK(pos(started, "cleanup") > pos(started, "rollback"));
}

TEST_CASE("retries run again with backoff and report each retry", "[executor]") {
  Harness h("  - {id: flaky, uses: t, retries: {count: 2, delay: 1ms}, with: {fail_attempts: 2}}\n"
            "  - {id: broken, uses: t, retries: {count: 1, delay: 1ms}, with: {fail_attempts: 5}}\n");
  RunSummary s = h.run({.mode = Mode::apply, .jobs = 1, .only = {}});
  CHECK(result(s, "flaky").status == StepStatus::succeeded);
  CHECK(result(s, "flaky").attempts == 3);
  CHECK(result(s, "broken").status == StepStatus::failed);
  CHECK(result(s, "broken").attempts == 2);
  CHECK(result(s, "broken").reason == "scripted failure 2");
  auto ev = h.reporter.events();
  CHECK(std::count(ev.begin(), ev.end(), "retrying flaky 2 scripted failure 1") == 1);
  CHECK(std::count(ev.begin(), ev.end(), "retrying flaky 3 scripted failure 2") == 1);
}

TEST_CASE("a timeout cancels the step's work and fails it", "[executor]") {
  Harness h("  - {id: slow, uses: t, timeout: 100ms, with: {wait_cancel: true}}\n"
            "  - {id: after, uses: t, needs: [slow]}\n");
  RunSummary s = h.run();
  CHECK(result(s, "slow").status == StepStatus::failed);
  CHECK(result(s, "slow").reason == "timed out after 100ms: cancelled while waiting");
  CHECK(result(s, "after").status == StepStatus::skipped);
}

TEST_CASE("a timeout is named once: by the kind when it throws TimeoutError, else by the executor", "[executor]") {
  Harness h("  - {id: own, uses: t, timeout: 100ms,\n"
            "     with: {wait_cancel: 'timed out after 100ms; stopped', says_timed_out: true}}\n"
            "  - {id: other, uses: t, timeout: 100ms, with: {wait_cancel: 'POST x: timed out'}}\n");
  RunSummary s = h.run();
  CHECK(result(s, "own").reason == "timed out after 100ms; stopped");
  CHECK(result(s, "other").reason == "timed out after 100ms: POST x: timed out");
}

TEST_CASE("an interrupt cancels running steps and starts nothing new", "[executor]") {
  Harness h("  - {id: slow, uses: t, with: {wait_cancel: true}}\n"
            "  - {id: next, uses: t, needs: [slow]}\n");
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    h.interrupt.cancel();
  });
  RunSummary s = h.run();
  stopper.join();
  CHECK(s.interrupted);
  CHECK_FALSE(s.ok());
  CHECK(result(s, "slow").status == StepStatus::cancelled);
  CHECK(result(s, "next").status == StepStatus::cancelled);
  CHECK(h.kind->started() == std::vector<std::string>{"slow"});
}

TEST_CASE("only runs just the steps named by --only", "[executor]") {
  Harness h("  - {id: a, uses: t, with: {outputs: {value: x}}}\n  - {id: b, uses: t, needs: [a]}\n"
            "  - {id: c, uses: t, needs: [a], with: {v: '${steps.a.value}'}}\n");
  RunSummary s = h.run({.mode = Mode::apply, .jobs = 0, .only = {"b", "c"}});
  CHECK(result(s, "a").status == StepStatus::not_selected);
  CHECK(result(s, "b").status == StepStatus::succeeded);
  CHECK(result(s, "c").status == StepStatus::failed);
  CHECK(result(s, "c").reason == "'${steps.a.value}' is not available: step 'a' was not selected by --only");
}

TEST_CASE("plan mode calls plan, and unknown outputs show as placeholders", "[executor]") {
  Harness h("  - {id: image, uses: t}\n  - {id: deploy, uses: t, needs: [image], with: {tag: '${steps.image.value}'}}\n");
  RunSummary s = h.run({.mode = Mode::plan, .jobs = 0, .only = {}});
  CHECK(s.ok());
  CHECK(h.kind->withs("deploy").at(0)["tag"].as<std::string>() == "<steps.image.value>");
  auto ev = h.reporter.events();
  CHECK(std::count(ev.begin(), ev.end(), "output deploy would do deploy") == 1);
}
