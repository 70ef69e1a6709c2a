// PosixProcessRunner against real processes: exit statuses, output lines, environment, working directory, stdin,
// launch errors, and killing whole process groups on deadline and cancel.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "runner/process/subprocess.hpp"
#include "runner/util/errors.hpp"
#include "tests/support/process_helpers.hpp"

using namespace std::chrono_literals;
using hoist::CancelToken;
using hoist::OutputStream;
using hoist::PosixProcessRunner;
using hoist::ProcessResult;
using hoist::ProcessSpec;
using hoist::test::TempDir;

namespace {

using Clock = std::chrono::steady_clock;

struct Output {
  std::vector<std::string> out, err;
  std::vector<std::pair<std::string, OutputStream>> all;  // in delivery order
  hoist::LineSink sink() {
    return [this](std::string_view line, OutputStream stream) {
      (stream == OutputStream::out ? out : err).emplace_back(line);
      all.emplace_back(std::string(line), stream);
    };
  }
};

ProcessSpec bash(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"bash", "--noprofile", "--norc", "-c", script};
  spec.env = hoist::current_environment();
  return spec;
}

struct Run {
  ProcessResult result;
  Output output;
};

Run run(const ProcessSpec& spec, const CancelToken& cancel = CancelToken()) {
  Run r;
  PosixProcessRunner runner;
  r.result = runner.run(spec, r.output.sink(), cancel);
  return r;
}

}  // namespace

TEST_CASE("exit codes are reported", "[subprocess]") {
  auto ok = run(bash("exit 0")).result;
  CHECK(ok.exit_code == 0);
  CHECK(ok.signal == 0);
  CHECK(ok.ok());

  auto three = run(bash("exit 3")).result;
  CHECK(three.exit_code == 3);
  CHECK(three.signal == 0);
  CHECK_FALSE(three.timed_out);
  CHECK_FALSE(three.cancelled);
  CHECK_FALSE(three.ok());
}

TEST_CASE("a child killed by a signal reports the signal", "[subprocess]") {
  auto r = run(bash("kill -KILL $$")).result;
  CHECK(r.signal == SIGKILL);
  CHECK(r.exit_code == -1);
  CHECK_FALSE(r.timed_out);
  CHECK_FALSE(r.ok());
}

TEST_CASE("stdout and stderr lines arrive with their stream", "[subprocess]") {
  auto r = run(bash("echo out1; echo err1 >&2; echo out2; echo err2 >&2"));
  CHECK(r.result.ok());
  CHECK(r.output.out == std::vector<std::string>{"out1", "out2"});
  CHECK(r.output.err == std::vector<std::string>{"err1", "err2"});
}

TEST_CASE("a last line without a newline is delivered and empty lines are kept", "[subprocess]") {
  auto r = run(bash("printf 'a\\n\\nb'; printf 'e' >&2"));
  CHECK(r.output.out == std::vector<std::string>{"a", "", "b"});
  CHECK(r.output.err == std::vector<std::string>{"e"});
}

TEST_CASE("a child that closes its output is still waited for", "[subprocess]") {
  auto r = run(bash("echo before; exec >&- 2>&-; sleep 0.3; exit 6"));
  CHECK(r.output.out == std::vector<std::string>{"before"});
  CHECK(r.result.exit_code == 6);
}

TEST_CASE("binary output and very long lines are delivered intact", "[subprocess]") {
  SECTION("NUL bytes stay inside the line") {
    auto r = run(bash("printf 'a\\0b\\n'"));
    REQUIRE(r.output.out.size() == 1);
    CHECK(r.output.out[0] == std::string("a\0b", 3));
  }
  SECTION("a long line comes in pieces no longer than kMaxLineBytes") {
    auto r = run(bash("head -c 200000 /dev/zero | tr '\\0' x; echo; echo next"));
    REQUIRE(r.output.out.size() >= 3);
    std::string joined;
    for (size_t i = 0; i + 1 < r.output.out.size(); ++i) {
      CHECK(r.output.out[i].size() <= PosixProcessRunner::kMaxLineBytes);
      joined += r.output.out[i];
    }
    CHECK(joined == std::string(200000, 'x'));
    CHECK(r.output.out.back() == "next");
  }
}

TEST_CASE("the child's environment is exactly spec.env", "[subprocess]") {
  ::setenv("HOIST_TEST_PARENT_ONLY", "leaked", 1);
  ProcessSpec spec;
  spec.argv = {"env"};
  spec.env = {{"PATH", "/usr/bin:/bin"}, {"HOIST_TEST_VAR", "hello world"}};
  auto r = run(spec);
  CHECK(r.result.ok());
  CHECK(r.output.out == std::vector<std::string>{"HOIST_TEST_VAR=hello world", "PATH=/usr/bin:/bin"});

  // And current_environment() sees what this process has.
  CHECK(hoist::current_environment().at("HOIST_TEST_PARENT_ONLY") == "leaked");
  ::unsetenv("HOIST_TEST_PARENT_ONLY");
}

TEST_CASE("argv[0] is looked up in spec.env's PATH, not ours", "[subprocess]") {
  TempDir dir;
  std::string tool = dir.file("hoist-test-tool");
  hoist::test::write_text(tool, "#!/bin/sh\necho tool ran with \"$1\"\n");
  std::filesystem::permissions(tool, std::filesystem::perms::owner_all);

  ProcessSpec spec;
  spec.argv = {"hoist-test-tool", "arg"};
  spec.env = {{"PATH", dir.path().string() + ":/usr/bin:/bin"}};
  auto r = run(spec);
  CHECK(r.result.ok());
  CHECK(r.output.out == std::vector<std::string>{"tool ran with arg"});
}

TEST_CASE("working_dir is the child's current directory", "[subprocess]") {
  TempDir dir;
  auto spec = bash("pwd -P; cat marker");
  spec.working_dir = dir.path().string();
  hoist::test::write_text(dir.file("marker"), "found\n");
  auto r = run(spec);
  CHECK(r.result.ok());
  CHECK(r.output.out == std::vector<std::string>{std::filesystem::canonical(dir.path()).string(), "found"});
}

TEST_CASE("stdin_data is written to the child's stdin, then closed", "[subprocess]") {
  SECTION("small") {
    auto spec = bash("cat");
    spec.stdin_data = "line1\nline2";
    auto r = run(spec);
    CHECK(r.result.ok());
    CHECK(r.output.out == std::vector<std::string>{"line1", "line2"});
  }
  SECTION("larger than a pipe buffer, while the child also writes") {
    auto spec = bash("cat; cat >&2 <<< done");
    spec.stdin_data = std::string(1'000'000, 'y') + "\n";
    auto r = run(spec);
    CHECK(r.result.ok());
    size_t total = 0;
    for (auto& line : r.output.out) total += line.size();
    CHECK(total == 1'000'000);
    CHECK(r.output.err == std::vector<std::string>{"done"});
  }
  SECTION("a child that never reads it does not break us") {
    auto spec = bash("exit 4");
    spec.stdin_data = std::string(1'000'000, 'y');
    auto r = run(spec);
    CHECK(r.result.exit_code == 4);
  }
  SECTION("no data means immediate end of file") {
    auto r = run(bash("cat; echo eof"));
    CHECK(r.output.out == std::vector<std::string>{"eof"});
  }
}

TEST_CASE("a command that cannot be started is a LaunchError naming it", "[subprocess]") {
  PosixProcessRunner runner;
  CancelToken cancel;
  auto sink = [](std::string_view, OutputStream) {};

  ProcessSpec missing;
  missing.argv = {"hoist-no-such-command", "--secret-argument"};
  missing.env = hoist::current_environment();
  REQUIRE_THROWS_MATCHES(runner.run(missing, sink, cancel), hoist::LaunchError,
                         Catch::Message("cannot run 'hoist-no-such-command': command not found"));

  ProcessSpec missing_path;
  missing_path.argv = {"/nonexistent/hoist-tool"};
  REQUIRE_THROWS_MATCHES(runner.run(missing_path, sink, cancel), hoist::LaunchError,
                         Catch::Message("cannot run '/nonexistent/hoist-tool': command not found"));

  ProcessSpec bad_dir = bash("true");
  bad_dir.working_dir = "/nonexistent/hoist-dir";
  REQUIRE_THROWS_MATCHES(runner.run(bad_dir, sink, cancel), hoist::LaunchError,
                         Catch::Message("cannot run 'bash': working directory '/nonexistent/hoist-dir' does not exist"));

  TempDir dir;
  hoist::test::write_text(dir.file("not-executable"), "#!/bin/sh\n");
  ProcessSpec denied;
  denied.argv = {"not-executable"};
  denied.env = {{"PATH", dir.path().string()}};
  REQUIRE_THROWS_MATCHES(runner.run(denied, sink, cancel), hoist::LaunchError,
                         Catch::Message("cannot run 'not-executable': permission denied"));
}

TEST_CASE("no descriptor of ours leaks into the child", "[subprocess]") {
  // A descriptor without O_CLOEXEC, as a careless library might leave one.
  int fd = ::open("/dev/null", O_RDONLY);
  REQUIRE(fd >= 3);
  auto r = run(bash("exec ls /proc/self/fd"));
  ::close(fd);
  CHECK(r.result.ok());
  // stdin, stdout, stderr, and the directory ls itself is reading.
  CHECK(r.output.out == std::vector<std::string>{"0", "1", "2", "3"});
}

TEST_CASE("the deadline kills the whole process group, grandchildren included", "[subprocess]") {
  TempDir dir;
  std::string pidfile = dir.file("pid");
  auto spec = bash("sleep 300 & echo $! > " + pidfile + "; echo started; sleep 300");
  // Long enough for bash to start and write the pid file on a loaded machine.
  spec.deadline = Clock::now() + 3s;
  auto start = Clock::now();
  auto r = run(spec);
  pid_t grandchild = hoist::test::wait_for_pid_file(pidfile);
  CHECK(Clock::now() - start < 20s);  // hang guard
  CHECK(r.result.timed_out);
  CHECK_FALSE(r.result.cancelled);
  CHECK_FALSE(r.result.ok());
  CHECK(r.result.signal == SIGTERM);
  CHECK(r.output.out == std::vector<std::string>{"started"});
  REQUIRE(grandchild > 0);
  CHECK(hoist::test::dies_within(grandchild));
  hoist::test::kill_if_alive(grandchild);
}

TEST_CASE("cancelling from another thread kills the whole process group", "[subprocess]") {
  TempDir dir;
  std::string pidfile = dir.file("pid");
  auto spec = bash("sleep 300 & echo $! > " + pidfile + "; sleep 300");
  CancelToken cancel;
  pid_t grandchild = 0;
  std::thread canceller([&] {
    grandchild = hoist::test::wait_for_pid_file(pidfile);
    cancel.cancel();
  });
  auto start = Clock::now();
  auto r = run(spec, cancel);
  canceller.join();
  CHECK(Clock::now() - start < 20s);  // hang guard
  CHECK(r.result.cancelled);
  CHECK_FALSE(r.result.timed_out);
  CHECK_FALSE(r.result.ok());
  REQUIRE(grandchild > 0);
  CHECK(hoist::test::dies_within(grandchild));
  hoist::test::kill_if_alive(grandchild);
}

TEST_CASE("a group that ignores SIGTERM gets SIGKILL after the grace period", "[subprocess]") {
  TempDir dir;
  std::string pidfile = dir.file("pid");
  auto spec = bash("trap '' TERM; sleep 300 & echo $! > " + pidfile + "; sleep 300; echo survived");
  spec.deadline = Clock::now() + 3s;
  auto start = Clock::now();
  auto r = run(spec);
  pid_t grandchild = hoist::test::wait_for_pid_file(pidfile);
  CHECK(Clock::now() - start < 20s);  // hang guard
  CHECK(r.result.timed_out);
  CHECK(r.result.signal == SIGKILL);
  CHECK(r.output.out.empty());
  REQUIRE(grandchild > 0);
  CHECK(hoist::test::dies_within(grandchild));
  hoist::test::kill_if_alive(grandchild);
}

TEST_CASE("a process that escaped the group and holds our pipes cannot hang us", "[subprocess]") {
  TempDir dir;
  std::string pidfile = dir.file("pid");
  // setsid puts the sleep in a new session, out of reach of kill(-pgid); it keeps stdout and stderr open.
  auto spec = bash("setsid sleep 300 & echo $! > " + pidfile + "; sleep 300");
  spec.deadline = Clock::now() + 3s;
  auto start = Clock::now();
  auto r = run(spec);
  pid_t escaped = hoist::test::wait_for_pid_file(pidfile);
  CHECK(Clock::now() - start < 20s);  // hang guard
  CHECK(r.result.timed_out);
  REQUIRE(escaped > 0);
  hoist::test::kill_if_alive(escaped);
}

TEST_CASE("after a normal exit, a background process holding the pipes is waited for only briefly", "[subprocess]") {
  TempDir dir;
  std::string pidfile = dir.file("pid");
  auto spec = bash("sleep 300 & echo $! > " + pidfile + "; echo done");
  auto start = Clock::now();
  auto r = run(spec);
  pid_t background = hoist::test::wait_for_pid_file(pidfile);
  CHECK(Clock::now() - start < 20s);  // hang guard
  CHECK(r.result.ok());
  CHECK(r.output.out == std::vector<std::string>{"done"});
  REQUIRE(background > 0);
  CHECK(hoist::test::process_alive(background));  // not killed: only a deadline or cancel kills the group
  hoist::test::kill_if_alive(background);
}

TEST_CASE("if the line sink throws, the group is killed and the error propagates", "[subprocess]") {
  TempDir dir;
  std::string pidfile = dir.file("pid");
  auto spec = bash("sleep 300 & echo $! > " + pidfile + "; echo boom; sleep 300");
  PosixProcessRunner runner;
  CancelToken cancel;
  auto throwing = [](std::string_view, OutputStream) { throw std::runtime_error("sink failed"); };
  CHECK_THROWS_WITH(runner.run(spec, throwing, cancel), "sink failed");
  pid_t grandchild = hoist::test::wait_for_pid_file(pidfile);
  REQUIRE(grandchild > 0);
  CHECK(hoist::test::dies_within(grandchild));
  hoist::test::kill_if_alive(grandchild);
}

TEST_CASE("nothing starts when the deadline has passed or the token is already set", "[subprocess]") {
  TempDir dir;
  std::string marker = dir.file("ran");
  auto spec = bash("touch " + marker);

  auto late = spec;
  late.deadline = Clock::now() - 1s;
  CHECK(run(late).result.timed_out);

  CancelToken cancelled;
  cancelled.cancel();
  CHECK(run(spec, cancelled).result.cancelled);

  CHECK_FALSE(std::filesystem::exists(marker));
}
