// The real process runner. Poco's Process::launch cannot put the child in its own process group, and we must be able
// to kill a whole group (a shell and everything it started), so this uses posix_spawn directly.
//
// One run, in order:
//   1. resolve argv[0] in spec.env's PATH (not ours: the child's environment is exactly spec.env), check working_dir;
//   2. posix_spawn with POSIX_SPAWN_SETPGROUP (pgid = child pid), default signal dispositions and an empty signal
//      mask, stdin/stdout/stderr on pipes, every other descriptor closed, chdir, envp from spec.env;
//   3. poll() the stdout and stderr pipes (and stdin while there is data to write, and a pidfd that wakes us when
//      the child exits), delivering whole lines;
//   4. on deadline or cancel: SIGTERM to the group, kKillGracePeriod, SIGKILL to the group. Once the group was
//      SIGKILLed and the child reaped we stop reading, so a process that escaped the group and holds our pipes
//      cannot hang us;
//   5. reap the child with waitpid and report how it ended.
// If anything throws after the spawn (a LineSink, say), the Child guard SIGKILLs the group and reaps it.

#include "runner/process/subprocess.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "runner/util/errors.hpp"
#include "runner/util/unique_fd.hpp"

extern char** environ;

namespace hoist {
namespace {

using Clock = std::chrono::steady_clock;

// How often a running child's cancel token is checked (CancelToken has no descriptor to poll).
constexpr std::chrono::milliseconds kPollInterval{100};
// How often we look for the child's exit once none of its pipes is open, when there is no pidfd to poll
// (kernels before 5.3).
constexpr std::chrono::milliseconds kReapInterval{10};
constexpr std::size_t kReadChunk = 64 * 1024;
// PATH when spec.env has none (what execvp uses too).
constexpr const char* kDefaultPath = "/bin:/usr/bin";

class SpawnFileActions {
 public:
  SpawnFileActions() { check(::posix_spawn_file_actions_init(&actions_), "file actions"); }
  ~SpawnFileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  SpawnFileActions(const SpawnFileActions&) = delete;
  SpawnFileActions& operator=(const SpawnFileActions&) = delete;

  void dup2(int fd, int target) { check(::posix_spawn_file_actions_adddup2(&actions_, fd, target), "dup2"); }
  void close_from(int fd) { check(::posix_spawn_file_actions_addclosefrom_np(&actions_, fd), "closefrom"); }
  void chdir(const std::string& dir) { check(::posix_spawn_file_actions_addchdir_np(&actions_, dir.c_str()), "chdir"); }
  const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  static void check(int rc, const char* what) {
    if (rc != 0) throw Error(std::string("cannot prepare a child process (") + what + "): " + std::strerror(rc));
  }
  posix_spawn_file_actions_t actions_;
};

class SpawnAttr {
 public:
  SpawnAttr() { check(::posix_spawnattr_init(&attr_), "attributes"); }
  ~SpawnAttr() { ::posix_spawnattr_destroy(&attr_); }
  SpawnAttr(const SpawnAttr&) = delete;
  SpawnAttr& operator=(const SpawnAttr&) = delete;

  // Own process group; every signal at its default (ignored ones would stay ignored across exec, e.g. a SIGPIPE we
  // ignore); nothing blocked (our thread may block signals, e.g. SIGPIPE while writing stdin).
  void isolate() {
    check(::posix_spawnattr_setpgroup(&attr_, 0), "process group");
    sigset_t all, none;
    ::sigfillset(&all);
    ::sigemptyset(&none);
    check(::posix_spawnattr_setsigdefault(&attr_, &all), "signal defaults");
    check(::posix_spawnattr_setsigmask(&attr_, &none), "signal mask");
    check(::posix_spawnattr_setflags(&attr_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK),
          "flags");
  }
  const posix_spawnattr_t* get() const { return &attr_; }

 private:
  static void check(int rc, const char* what) {
    if (rc != 0) throw Error(std::string("cannot prepare a child process (") + what + "): " + std::strerror(rc));
  }
  posix_spawnattr_t attr_;
};

// A NULL-terminated char* array over strings it owns, for argv and envp.
class CStringArray {
 public:
  explicit CStringArray(std::vector<std::string> strings) : strings_(std::move(strings)) {
    for (auto& s : strings_) pointers_.push_back(s.data());
    pointers_.push_back(nullptr);
  }
  char* const* data() const { return pointers_.data(); }

 private:
  std::vector<std::string> strings_;
  std::vector<char*> pointers_;
};

// While alive, SIGPIPE is blocked in this thread, so writing to a child that closed its stdin gives EPIPE instead of
// killing hoist. We do not ignore SIGPIPE process-wide: that is global state and other code may rely on it.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigset_t set;
    ::sigemptyset(&set);
    ::sigaddset(&set, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~ScopedSigpipeBlock() { ::pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

  // Discards the SIGPIPE a failed write just made pending on this thread, so it is not delivered on unblocking.
  static void discard_pending() {
    sigset_t set;
    ::sigemptyset(&set);
    ::sigaddset(&set, SIGPIPE);
    timespec zero{};
    while (::sigtimedwait(&set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }

 private:
  sigset_t old_;
};

// The spawned child. Until reaped, destroying it SIGKILLs its group and waits for it: no orphans, no zombies.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() {
    if (reaped_) return;
    ::kill(-pid_, SIGKILL);
    int status;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // A descriptor that poll() reports readable when the child exits, or an invalid one where the kernel has none.
  UniqueFd open_pidfd() const {
#ifdef SYS_pidfd_open
    return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
#else
    return UniqueFd();
#endif
  }

  bool reaped() const { return reaped_; }
  const std::optional<int>& status() const { return status_; }

  // The group keeps its id while any member lives (the child itself until reaped), so this reaches grandchildren.
  void signal_group(int sig) const { ::kill(-pid_, sig); }

  bool try_reap() {
    if (reaped_) return true;
    int status;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      status_ = status;
    } else if (r < 0 && errno == ECHILD) {
      reaped_ = true;  // someone set SIGCHLD to SIG_IGN and the kernel reaped it: how it ended is unknown
    }
    return reaped_;
  }

 private:
  pid_t pid_;
  bool reaped_ = false;
  std::optional<int> status_;
};

// One of the child's output pipes, split into lines.
class LineReader {
 public:
  LineReader(UniqueFd fd, OutputStream stream) : fd_(std::move(fd)), stream_(stream) {}

  bool open() const { return fd_.valid(); }
  int fd() const { return fd_.get(); }
  void close() { fd_.reset(); }

  // Reads once; delivers every complete line; closes at end of file or on a read error.
  void read_available(const LineSink& sink, std::vector<char>& scratch) {
    ssize_t n = ::read(fd_.get(), scratch.data(), scratch.size());
    if (n > 0) {
      buffer_.append(scratch.data(), static_cast<std::size_t>(n));
      deliver_complete_lines(sink);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      close();
    }
  }

  // Delivers a last line that had no newline.
  void flush(const LineSink& sink) {
    if (!buffer_.empty()) deliver(buffer_, sink);
    buffer_.clear();
  }

 private:
  void deliver_complete_lines(const LineSink& sink) {
    std::size_t start = 0;
    for (std::size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1)
      deliver(std::string_view(buffer_).substr(start, nl - start), sink);
    buffer_.erase(0, start);
    // A line still without a newline: hand over full pieces, keep the rest (never empty) for its newline.
    std::size_t taken = 0;
    while (buffer_.size() - taken > PosixProcessRunner::kMaxLineBytes) {
      emit(std::string_view(buffer_).substr(taken, PosixProcessRunner::kMaxLineBytes), sink);
      taken += PosixProcessRunner::kMaxLineBytes;
    }
    buffer_.erase(0, taken);
  }

  // One line, in pieces of at most kMaxLineBytes.
  void deliver(std::string_view line, const LineSink& sink) {
    do {
      emit(line.substr(0, PosixProcessRunner::kMaxLineBytes), sink);
      line.remove_prefix(std::min(line.size(), PosixProcessRunner::kMaxLineBytes));
    } while (!line.empty());
  }

  void emit(std::string_view piece, const LineSink& sink) {
    if (sink) sink(piece, stream_);
  }

  UniqueFd fd_;
  OutputStream stream_;
  std::string buffer_;
};

// The child's stdin: spec.stdin_data, written as the child reads it, then closed.
class InputWriter {
 public:
  InputWriter(UniqueFd fd, std::string_view data) : fd_(std::move(fd)), data_(data) {
    if (data_.empty()) fd_.reset();
  }
  bool open() const { return fd_.valid(); }
  int fd() const { return fd_.get(); }
  void close() { fd_.reset(); }

  void write_some() {
    std::size_t n = std::min(data_.size() - written_, kReadChunk);
    ssize_t w = ::write(fd_.get(), data_.data() + written_, n);
    if (w > 0) {
      written_ += static_cast<std::size_t>(w);
      if (written_ == data_.size()) close();
    } else if (w < 0 && errno == EPIPE) {
      ScopedSigpipeBlock::discard_pending();
      close();  // the child does not want the rest
    } else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      close();
    }
  }

 private:
  UniqueFd fd_;
  std::string_view data_;
  std::size_t written_ = 0;
};

[[noreturn]] void throw_launch_error(const std::string& name, const std::string& why) {
  // Only argv[0] is named: later arguments may carry secrets.
  throw LaunchError("cannot run '" + name + "': " + why);
}

// argv[0] as posix_spawn needs it: names with a slash are used as given (relative to working_dir, as after `cd`);
// others are looked up in spec.env's PATH, and the result made absolute.
std::string resolve_program(const ProcessSpec& spec) {
  const std::string& name = spec.argv[0];
  if (name.empty()) throw Error("cannot run a process with an empty program name");
  if (name.find('/') != std::string::npos) return name;
  auto it = spec.env.find("PATH");
  std::string_view path = it != spec.env.end() ? std::string_view(it->second) : std::string_view(kDefaultPath);
  bool denied = false;
  while (true) {
    auto colon = path.find(':');
    std::filesystem::path dir(std::string(path.substr(0, colon)));
    if (dir.empty()) dir = ".";
    if (dir.is_relative() && !spec.working_dir.empty()) dir = std::filesystem::path(spec.working_dir) / dir;
    std::filesystem::path candidate = dir / name;
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      if (::access(candidate.c_str(), X_OK) == 0) return std::filesystem::absolute(candidate).string();
      denied = true;
    }
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  throw_launch_error(name, denied ? "permission denied" : "command not found");
}

std::vector<std::string> env_strings(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [key, value] : env) {
    if (key.empty() || key.find('=') != std::string::npos || key.find('\0') != std::string::npos)
      throw Error("invalid environment variable name '" + key + "'");
    out.push_back(key + "=" + value);
  }
  return out;
}

ProcessResult result_of(const Child& child, bool timed_out, bool cancelled) {
  ProcessResult result;
  result.timed_out = timed_out;
  result.cancelled = cancelled;
  if (const auto& status = child.status()) {
    if (WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
    if (WIFSIGNALED(*status)) result.signal = WTERMSIG(*status);
  }
  return result;
}

int poll_timeout_ms(Clock::time_point now, Clock::time_point wake) {
  if (wake <= now) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake - now).count();
  return static_cast<int>(std::min<long long>(ms, kPollInterval.count()));
}

}  // namespace

ProcessResult PosixProcessRunner::run(const ProcessSpec& spec, const LineSink& on_line, const CancelToken& cancel) {
  if (spec.argv.empty()) throw Error("cannot run a process: no command given");
  if (!spec.working_dir.empty()) {
    struct stat st;
    if (::stat(spec.working_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      throw_launch_error(spec.argv[0], "working directory '" + spec.working_dir + "' does not exist");
  }
  std::string program = resolve_program(spec);
  CStringArray argv(spec.argv);
  CStringArray envp(env_strings(spec.env));

  // Nothing to start when it is already over.
  if (spec.deadline && Clock::now() >= *spec.deadline) return ProcessResult{.timed_out = true};
  if (cancel.cancelled()) return ProcessResult{.cancelled = true};

  Pipe in = make_pipe(), out = make_pipe(), err = make_pipe();
  set_nonblocking(in.write.get());
  set_nonblocking(out.read.get());
  set_nonblocking(err.read.get());

  SpawnFileActions actions;
  actions.dup2(in.read.get(), STDIN_FILENO);
  actions.dup2(out.write.get(), STDOUT_FILENO);
  actions.dup2(err.write.get(), STDERR_FILENO);
  actions.close_from(3);  // our pipes are O_CLOEXEC, but a library's descriptor might not be
  if (!spec.working_dir.empty()) actions.chdir(spec.working_dir);
  SpawnAttr attr;
  attr.isolate();

  ScopedSigpipeBlock sigpipe_block;
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, program.c_str(), actions.get(), attr.get(), argv.data(), envp.data());
  if (rc == ENOENT) throw_launch_error(spec.argv[0], "command not found");
  if (rc != 0) throw_launch_error(spec.argv[0], std::strerror(rc));
  Child child(pid);
  in.read.reset();
  out.write.reset();
  err.write.reset();

  InputWriter input(std::move(in.write), spec.stdin_data);
  LineReader readers[] = {{std::move(out.read), OutputStream::out}, {std::move(err.read), OutputStream::err}};
  std::vector<char> scratch(kReadChunk);
  UniqueFd exit_fd = child.open_pidfd();  // pidfd_open sets O_CLOEXEC itself

  enum class Phase { running, terminating, killed } phase = Phase::running;
  bool timed_out = false, cancelled = false;
  Clock::time_point kill_at{}, stop_reading_at{};
  bool draining = false;

  while (true) {
    child.try_reap();  // first, so a child that has just finished is not reported as timed out
    auto now = Clock::now();
    if (phase == Phase::running && !child.reaped()) {
      if (spec.deadline && now >= *spec.deadline)
        timed_out = true;
      else if (cancel.cancelled())
        cancelled = true;
      if (timed_out || cancelled) {
        child.signal_group(SIGTERM);
        phase = Phase::terminating;
        kill_at = now + kKillGracePeriod;
      }
    }
    if (phase == Phase::terminating && now >= kill_at) {
      child.signal_group(SIGKILL);
      phase = Phase::killed;
    }

    bool output_open = readers[0].open() || readers[1].open();
    Clock::time_point wake = now + (output_open || exit_fd ? kPollInterval : kReapInterval);
    if (child.reaped()) {
      if (!output_open) break;
      if (phase == Phase::killed) break;  // the group is dead; whatever still holds our pipes escaped it
      if (phase == Phase::running) {
        if (!draining) {
          draining = true;
          stop_reading_at = now + kOutputDrainPeriod;
        }
        if (now >= stop_reading_at) break;
        wake = std::min(wake, stop_reading_at);
      }
      // terminating: wait for the rest of the group to go, or for kill_at
    }
    if (phase == Phase::running && spec.deadline) wake = std::min(wake, *spec.deadline);
    if (phase == Phase::terminating) wake = std::min(wake, kill_at);

    pollfd fds[4];
    nfds_t nfds = 0;
    int reader_slot[2] = {-1, -1};
    int input_slot = -1;
    for (int i = 0; i < 2; ++i)
      if (readers[i].open()) {
        reader_slot[i] = static_cast<int>(nfds);
        fds[nfds++] = {readers[i].fd(), POLLIN, 0};
      }
    if (input.open()) {
      input_slot = static_cast<int>(nfds);
      fds[nfds++] = {input.fd(), POLLOUT, 0};
    }
    if (exit_fd && !child.reaped()) fds[nfds++] = {exit_fd.get(), POLLIN, 0};  // only wakes us; reaped above
    int ready = ::poll(fds, nfds, poll_timeout_ms(now, wake));
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw Error(std::string("waiting for a child process failed: ") + std::strerror(errno));
    }
    for (int i = 0; i < 2; ++i)
      if (reader_slot[i] >= 0 && fds[reader_slot[i]].revents != 0) readers[i].read_available(on_line, scratch);
    if (input_slot >= 0) {
      short revents = fds[input_slot].revents;
      if (revents & (POLLERR | POLLHUP | POLLNVAL))
        input.close();
      else if (revents & POLLOUT)
        input.write_some();
    }
  }

  for (auto& reader : readers) {
    reader.flush(on_line);
    reader.close();
  }
  return result_of(child, timed_out, cancelled);
}

std::map<std::string, std::string> current_environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    env.emplace(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));  // the first one wins, as getenv
  }
  return env;
}

}  // namespace hoist
