// InterruptGuard, tested in forked children so no signal is ever sent to the test process itself. Each child
// reports through its exit code: 0 when every expectation held, another number naming the first that failed.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>

#include "runner/exec/signals.hpp"
#include "runner/util/errors.hpp"

using namespace std::chrono_literals;
using hoist::CancelToken;
using hoist::InterruptGuard;

namespace {

// Runs `body` in a forked child and returns its wait status. The child leaves with _exit, so nothing of Catch's
// runs there.
int in_child(const std::function<int()>& body) {
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 99;
    try {
      code = body();
    } catch (...) {
      code = 98;
    }
    ::_exit(code);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return status;
}

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status); }

sighandler_t disposition(int sig) {
  struct sigaction current {};
  ::sigaction(sig, nullptr, &current);
  return current.sa_handler;
}

// In the child: installs a guard, raises `sig` on itself, and checks the token and received().
int raise_under_guard(int sig) {
  CancelToken token;
  InterruptGuard guard(token);
  if (token.cancelled()) return 1;
  if (guard.received() != 0) return 2;
  ::raise(sig);
  if (!token.sleep_for(10s)) return 3;  // hang guard: the watcher thread cancels it almost at once
  if (guard.received() != sig) return 4;
  return 0;
}

}  // namespace

TEST_CASE("under an InterruptGuard, SIGTERM cancels the token instead of killing", "[signals]") {
  CHECK(exit_code_of(in_child([] { return raise_under_guard(SIGTERM); })) == 0);
}

TEST_CASE("under an InterruptGuard, SIGINT cancels the token instead of killing", "[signals]") {
  CHECK(exit_code_of(in_child([] { return raise_under_guard(SIGINT); })) == 0);
}

TEST_CASE("without a guard, SIGTERM still kills (the test can fail)", "[signals]") {
  int status = in_child([] {
    ::signal(SIGTERM, SIG_DFL);
    ::raise(SIGTERM);
    return 0;
  });
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
}

TEST_CASE("the first signal is remembered, later ones change nothing", "[signals]") {
  CHECK(exit_code_of(in_child([] {
          CancelToken token;
          InterruptGuard guard(token);
          ::raise(SIGINT);
          if (!token.sleep_for(10s)) return 1;
          ::raise(SIGTERM);
          ::usleep(100'000);
          return guard.received() == SIGINT ? 0 : 2;
        })) == 0);
}

TEST_CASE("the guard restores the previous dispositions", "[signals]") {
  CHECK(exit_code_of(in_child([] {
          ::signal(SIGTERM, SIG_IGN);
          ::signal(SIGINT, SIG_DFL);
          {
            CancelToken token;
            InterruptGuard guard(token);
            if (disposition(SIGTERM) == SIG_IGN || disposition(SIGINT) == SIG_DFL) return 1;
          }
          if (disposition(SIGTERM) != SIG_IGN) return 2;
          if (disposition(SIGINT) != SIG_DFL) return 3;
          // And a signal after the guard is gone behaves as before: SIGTERM is ignored again.
          ::raise(SIGTERM);
          return 0;
        })) == 0);
}

TEST_CASE("only one guard may be alive at a time", "[signals]") {
  CancelToken a, b;
  InterruptGuard first(a);
  CHECK_THROWS_AS(InterruptGuard(b), hoist::Error);
}

TEST_CASE("guards can be installed again after the previous one is gone", "[signals]") {
  CHECK(exit_code_of(in_child([] {
          { CancelToken t; InterruptGuard g(t); }
          return raise_under_guard(SIGTERM);
        })) == 0);
}
