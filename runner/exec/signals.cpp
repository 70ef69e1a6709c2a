// InterruptGuard. A signal handler may only do async-signal-safe things, and cancelling a CancelToken takes a mutex,
// so the handler only writes the signal number to a self-pipe; a watcher thread reads it and cancels the token.

#include "runner/exec/signals.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "runner/util/errors.hpp"

namespace hoist {
namespace {

// The write end of the live guard's pipe, or -1. Read by the handler, so it must be lock-free.
std::atomic<int> g_signal_pipe{-1};
static_assert(std::atomic<int>::is_always_lock_free);

// The byte the destructor writes to stop the watcher; signal numbers are never 0.
constexpr unsigned char kStopByte = 0;

extern "C" void on_interrupt(int sig) {
  int saved_errno = errno;
  int fd = g_signal_pipe.load();
  if (fd >= 0) {
    unsigned char byte = static_cast<unsigned char>(sig);
    [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);  // non-blocking: a full pipe already holds a signal
  }
  errno = saved_errno;
}

}  // namespace

InterruptGuard::InterruptGuard(CancelToken& token) : token_(token), pipe_(make_pipe()) {
  set_nonblocking(pipe_.write.get());
  int expected = -1;
  if (!g_signal_pipe.compare_exchange_strong(expected, pipe_.write.get()))
    throw Error("internal error: an InterruptGuard is already installed");
  try {
    watcher_ = std::thread([this] { watch(); });
  } catch (...) {
    g_signal_pipe.store(-1);
    throw;
  }

  struct sigaction action {};
  action.sa_handler = on_interrupt;
  ::sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  if (::sigaction(SIGINT, &action, &old_int_) != 0 || ::sigaction(SIGTERM, &action, &old_term_) != 0) {
    int err = errno;
    ::sigaction(SIGINT, &old_int_, nullptr);
    g_signal_pipe.store(-1);
    unsigned char stop = kStopByte;
    [[maybe_unused]] ssize_t n = ::write(pipe_.write.get(), &stop, 1);
    watcher_.join();
    throw Error(std::string("cannot install signal handlers: ") + std::strerror(err));
  }
}

InterruptGuard::~InterruptGuard() {
  ::sigaction(SIGTERM, &old_term_, nullptr);
  ::sigaction(SIGINT, &old_int_, nullptr);
  g_signal_pipe.store(-1);
  unsigned char stop = kStopByte;
  // A full pipe (a flood of signals) is being drained by the watcher, so retrying ends.
  while (::write(pipe_.write.get(), &stop, 1) < 0 && (errno == EINTR || errno == EAGAIN)) {
  }
  watcher_.join();
}

void InterruptGuard::watch() {
  while (true) {
    unsigned char byte;
    ssize_t n = ::read(pipe_.read.get(), &byte, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || byte == kStopByte) return;
    int expected = 0;
    received_.compare_exchange_strong(expected, static_cast<int>(byte));
    token_.cancel();
  }
}

}  // namespace hoist
