// The run step with a hand-built StepContext: against real bash through PosixProcessRunner (outputs, failures,
// pipefail, timeout, interrupt), and against FakeProcessRunner where only the request matters (plan mode, the spec).
#include <catch2/catch.hpp>

#include <csignal>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "runner/process/subprocess.hpp"
#include "runner/util/errors.hpp"
#include "steps/run/run_step.hpp"
#include "tests/support/fake_process_runner.hpp"
#include "tests/support/process_helpers.hpp"

using namespace std::chrono_literals;
using hoist::CancelToken;
using hoist::ExitCode;
using hoist::Mode;
using hoist::OutputStream;
using hoist::PosixProcessRunner;
using hoist::Step;
using hoist::StepContext;
using hoist::test::FakeProcessRunner;

namespace {

using Clock = std::chrono::steady_clock;

// One step, one context, and everything the context refers to.
struct RunFixture {
  explicit RunFixture(std::string command, hoist::ProcessRunner* runner = nullptr)
      : processes(runner ? *runner : real),
        ctx{.step = step,
            .mode = Mode::apply,
            .with = {},
            .run = std::move(command),
            .env = hoist::current_environment(),
            .working_dir = "",
            .deadline = std::nullopt,
            .cancel = cancel,
            .processes = processes,
            .print = [this](std::string_view line, OutputStream stream) {
              (stream == OutputStream::out ? out : err).emplace_back(line);
            },
            .progress = {},
            .outputs = {}} {
    step.id = "test";
    step.kind = "run";
  }

  void apply() { kind->apply(ctx); }

  Step step;
  CancelToken cancel;
  PosixProcessRunner real;
  hoist::ProcessRunner& processes;
  std::vector<std::string> out, err;
  StepContext ctx;
  std::unique_ptr<hoist::StepKind> kind = hoist::make_run_step();
};

// The message and exit code of the hoist::Error that `f` throws.
template <class F>
std::pair<std::string, ExitCode> error_of(F&& f) {
  try {
    f();
  } catch (const hoist::Error& e) {
    return {e.what(), e.code()};
  }
  return {"(no error)", ExitCode::ok};
}

}  // namespace

TEST_CASE("run step: output lines reach print with their stream", "[run_step]") {
  RunFixture f("echo hello; echo oops >&2");
  f.apply();
  CHECK(f.out == std::vector<std::string>{"hello"});
  CHECK(f.err == std::vector<std::string>{"oops"});
  CHECK(f.ctx.outputs.at("exit_code") == "0");
}

TEST_CASE("run step: outputs come from $HOIST_OUTPUT", "[run_step]") {
  RunFixture f(R"(echo "version=1.2.3" >> "$HOIST_OUTPUT"
echo "url=https://x.example/?a=b" >> "$HOIST_OUTPUT"
printf 'notes<<EOF\nline one\nline two\nEOF\n' >> "$HOIST_OUTPUT")");
  f.apply();
  CHECK(f.ctx.outputs.at("version") == "1.2.3");
  CHECK(f.ctx.outputs.at("url") == "https://x.example/?a=b");
  CHECK(f.ctx.outputs.at("notes") == "line one\nline two");
  CHECK(f.ctx.outputs.at("exit_code") == "0");
  CHECK(f.ctx.outputs.size() == 4);
}

TEST_CASE("run step: a non-zero exit fails the step with its code", "[run_step]") {
  RunFixture f("echo partial=yes >> \"$HOIST_OUTPUT\"; exit 3");
  auto [message, code] = error_of([&] { f.apply(); });
  CHECK(message == "command exited with code 3");
  CHECK(code == ExitCode::step_failed);
  CHECK(f.ctx.outputs.at("exit_code") == "3");
  CHECK(f.ctx.outputs.at("partial") == "yes");  // outputs written before failing are kept
}

TEST_CASE("run step: errexit and pipefail are on", "[run_step]") {
  SECTION("a failing command in a pipeline fails it") {
    RunFixture f("false | true; echo after");
    CHECK(error_of([&] { f.apply(); }).first == "command exited with code 1");
    CHECK(f.out.empty());
  }
  SECTION("a failing command stops the script") {
    RunFixture f("false; echo after");
    CHECK(error_of([&] { f.apply(); }).first == "command exited with code 1");
    CHECK(f.out.empty());
  }
  SECTION("without failures the whole script runs") {
    RunFixture f("true | true; echo after");
    f.apply();
    CHECK(f.out == std::vector<std::string>{"after"});
  }
}

TEST_CASE("run step: the timeout kills the command and says so", "[run_step]") {
  RunFixture f("echo started; sleep 300");
  f.step.timeout = 2s;
  f.ctx.deadline = Clock::now() + 2s;
  auto start = Clock::now();
  auto [message, code] = error_of([&] { f.apply(); });
  CHECK(Clock::now() - start < 20s);  // hang guard
  CHECK(message == "timed out after 2s; its process group was killed");
  CHECK(code == ExitCode::step_failed);
  CHECK(f.out == std::vector<std::string>{"started"});
  CHECK(f.ctx.outputs.at("exit_code") == std::to_string(128 + SIGTERM));
}

TEST_CASE("run step: cancelling interrupts it", "[run_step]") {
  hoist::test::TempDir dir;
  std::string pidfile = dir.file("pid");
  RunFixture f("echo $$ > " + pidfile + "; sleep 300");
  std::thread canceller([&] {
    hoist::test::wait_for_pid_file(pidfile);
    f.cancel.cancel();
  });
  auto [message, code] = error_of([&] { f.apply(); });
  canceller.join();
  CHECK(message == "interrupted; its process group was killed");
  CHECK(code == ExitCode::interrupted);
}

TEST_CASE("run step: a command killed by a signal names it", "[run_step]") {
  RunFixture f("kill -KILL $$");
  CHECK(error_of([&] { f.apply(); }).first == "killed by SIGKILL");
  CHECK(f.ctx.outputs.at("exit_code") == std::to_string(128 + SIGKILL));
}

TEST_CASE("run step: a malformed $HOIST_OUTPUT fails a successful command", "[run_step]") {
  RunFixture f("echo 'not an output' >> \"$HOIST_OUTPUT\"");
  CHECK(error_of([&] { f.apply(); }).first == "$HOIST_OUTPUT line 1: expected NAME=VALUE");
}

TEST_CASE("run step: a failed command's message wins over a malformed $HOIST_OUTPUT", "[run_step]") {
  RunFixture f("echo 'not an output' >> \"$HOIST_OUTPUT\"; exit 5");
  CHECK(error_of([&] { f.apply(); }).first == "command exited with code 5");
}

TEST_CASE("run step: working_dir and env reach the command", "[run_step]") {
  hoist::test::TempDir dir;
  RunFixture f("pwd -P; echo \"$GREETING\"");
  f.ctx.working_dir = dir.path().string();
  f.ctx.env["GREETING"] = "hi there";
  f.apply();
  CHECK(f.out == std::vector<std::string>{std::filesystem::canonical(dir.path()).string(), "hi there"});
}

TEST_CASE("run step: plan mode runs nothing", "[run_step]") {
  FakeProcessRunner fake;
  RunFixture f("rm -rf build", &fake);
  f.ctx.mode = Mode::plan;
  f.ctx.working_dir = "app";
  f.kind->plan(f.ctx);
  CHECK(fake.calls() == 0);
  CHECK(fake.specs().empty());
  CHECK(f.out == std::vector<std::string>{"would run in app:", "  rm -rf build"});
}

TEST_CASE("run step: the process it asks for", "[run_step]") {
  FakeProcessRunner fake;
  fake.set_output({{"from fake", OutputStream::out}, {"fake err", OutputStream::err}});
  RunFixture f("make test", &fake);
  f.ctx.env = {{"PATH", "/usr/bin:/bin"}, {"APP", "api"}};
  f.ctx.working_dir = "src";
  auto deadline = Clock::now() + 10min;
  f.ctx.deadline = deadline;
  f.apply();

  auto specs = fake.specs();
  REQUIRE(specs.size() == 1);
  const auto& spec = specs[0];
  CHECK(spec.argv == std::vector<std::string>{"bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "make test"});
  CHECK(spec.working_dir == "src");
  CHECK(spec.deadline == deadline);
  CHECK(spec.env.at("APP") == "api");
  CHECK(spec.env.at("PATH") == "/usr/bin:/bin");
  CHECK(spec.env.count("HOIST_OUTPUT") == 1);
  CHECK(spec.env.size() == 3);
  CHECK(f.out == std::vector<std::string>{"from fake"});
  CHECK(f.err == std::vector<std::string>{"fake err"});
}

TEST_CASE("run step: a scripted failure from the fake fails the step", "[run_step]") {
  FakeProcessRunner fake;
  fake.push_result(FakeProcessRunner::exited(7));
  RunFixture f("make test", &fake);
  CHECK(error_of([&] { f.apply(); }).first == "command exited with code 7");
  f.apply();  // the queued result is used once; then the default, exit 0
  CHECK(fake.calls() == 2);
}

TEST_CASE("parse_output_file reads both forms", "[run_step]") {
  using hoist::parse_output_file;
  auto out = parse_output_file("a=1\r\n\nb=x=y\nblock<<END\none\r\n\ntwo\nEND\nempty=\n");
  CHECK(out == std::map<std::string, std::string>{{"a", "1"}, {"b", "x=y"}, {"block", "one\n\ntwo"}, {"empty", ""}});
  CHECK(parse_output_file("").empty());
  CHECK(parse_output_file("last=no newline").at("last") == "no newline");
  CHECK(parse_output_file("x=1\nx=2\n").at("x") == "2");
}

TEST_CASE("parse_output_file reports malformed lines", "[run_step]") {
  using hoist::parse_output_file;
  auto message = [](std::string_view text) { return error_of([&] { parse_output_file(text); }).first; };
  CHECK(message("ok=1\nno equals sign\n") == "$HOIST_OUTPUT line 2: expected NAME=VALUE");
  CHECK(message("bad name=1\n") == "$HOIST_OUTPUT line 1: expected NAME=VALUE");
  CHECK(message("=value\n") == "$HOIST_OUTPUT line 1: expected NAME=VALUE");
  CHECK(message("<<EOF\nx\nEOF\n") == "$HOIST_OUTPUT line 1: expected NAME<<DELIMITER");
  CHECK(message("name<<\n") == "$HOIST_OUTPUT line 1: expected NAME<<DELIMITER");
  CHECK(message("notes<<EOF\nnever closed\n") == "$HOIST_OUTPUT: output 'notes' is missing its closing 'EOF'");
}
