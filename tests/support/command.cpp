// Test-only subprocess helper (see command.hpp): fork/exec with pipes, polled so neither stream can block the other.
#include "tests/support/command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "tests/support/known_secrets.hpp"

extern char** environ;

namespace hoist::test {
namespace {

// Owns one file descriptor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

}  // namespace

CommandResult run_command(const Command& command) {
  if (command.argv.empty()) throw std::invalid_argument("run_command: empty argv");
  // A child that exits before reading all its input must not kill the test with SIGPIPE.
  static const bool sigpipe_ignored = (::signal(SIGPIPE, SIG_IGN), true);
  (void)sigpipe_ignored;

  // The child's environment, built before fork (no allocation after fork).
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& name : command.unset_env) env.erase(name);
  for (const auto& [name, value] : command.set_env) env[name] = value;
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = command.argv;
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);

  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  Fd in_r(in[0]), in_w(in[1]);
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  Fd out_r(out[0]), out_w(out[1]);
  if (::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  Fd err_r(err[0]), err_w(err[1]);

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::dup2(in_r.get(), 0);
    ::dup2(out_w.get(), 1);
    ::dup2(err_w.get(), 2);
    ::signal(SIGPIPE, SIG_DFL);
    if (!command.working_dir.empty() && ::chdir(command.working_dir.c_str()) != 0) {
      const char msg[] = "run_command: cannot change directory\n";
      [[maybe_unused]] auto n = ::write(2, msg, sizeof msg - 1);
      ::_exit(127);
    }
    ::execvpe(argv[0], argv.data(), envp.data());
    const char msg[] = "run_command: cannot execute the program\n";
    [[maybe_unused]] auto n = ::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  in_r.reset();
  out_w.reset();
  err_w.reset();

  // Feed stdin and drain stdout/stderr together.
  CommandResult result;
  size_t written = 0;
  if (command.input.empty()) {
    in_w.reset();
  } else {
    ::fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
  }
  while (out_r.get() >= 0 || err_r.get() >= 0 || in_w.get() >= 0) {
    pollfd fds[3];
    int n = 0;
    if (out_r.get() >= 0) fds[n++] = {out_r.get(), POLLIN, 0};
    if (err_r.get() >= 0) fds[n++] = {err_r.get(), POLLIN, 0};
    if (in_w.get() >= 0) fds[n++] = {in_w.get(), POLLOUT, 0};
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_w.get()) {
        ssize_t w = ::write(in_w.get(), command.input.data() + written, command.input.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno == EAGAIN) continue;
        if (w <= 0 || written == command.input.size()) in_w.reset();
        continue;
      }
      char buffer[8192];
      ssize_t r = ::read(fds[i].fd, buffer, sizeof buffer);
      if (r < 0 && errno == EINTR) continue;
      bool is_out = fds[i].fd == out_r.get();
      if (r <= 0) {
        (is_out ? out_r : err_r).reset();
      } else {
        (is_out ? result.out : result.err).append(buffer, static_cast<size_t>(r));
      }
    }
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (command.leak_checked) {
    const std::string name = std::filesystem::path(command.argv[0]).filename().string();
    capture_output(name + " stdout", result.out);
    capture_output(name + " stderr", result.err);
  }
  return result;
}

Command git_command(std::vector<std::string> args) {
  Command command;
  command.argv = {"git"};
  command.argv.insert(command.argv.end(), args.begin(), args.end());
  command.set_env = {
      {"GIT_CONFIG_NOSYSTEM", "1"},       {"GIT_CONFIG_GLOBAL", "/dev/null"},
      {"GIT_TERMINAL_PROMPT", "0"},       {"GIT_AUTHOR_NAME", "Hoist Test"},
      {"GIT_AUTHOR_EMAIL", "test@hoist.invalid"}, {"GIT_COMMITTER_NAME", "Hoist Test"},
      {"GIT_COMMITTER_EMAIL", "test@hoist.invalid"}, {"LC_ALL", "C"},
  };
  command.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_ASKPASS", "SSH_ASKPASS",
                       "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_PROXY_COMMAND",
                       "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"};
  return command;
}

namespace {

// The state letter of a /proc/.../stat file ('R', 'S', 'Z', ...), or 0 when it cannot be read.
char stat_state(const std::filesystem::path& stat_file) {
  std::ifstream stat(stat_file);
  std::string line;
  if (!stat || !std::getline(stat, line)) return 0;
  auto paren = line.rfind(')');  // the command name may hold spaces and parentheses
  if (paren == std::string::npos || paren + 2 >= line.size()) return 0;
  return line[paren + 2];
}

bool running(char state) { return state != 0 && state != 'Z' && state != 'X'; }

}  // namespace

bool process_alive(int pid) {
  const std::filesystem::path proc = "/proc/" + std::to_string(pid);
  if (running(stat_state(proc / "stat"))) return true;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(proc / "task", ec))
    if (running(stat_state(task.path() / "stat"))) return true;
  return false;
}

}  // namespace hoist::test
