// See pty_run.hpp.
#include "tests/support/pty_run.hpp"

#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "runner/util/unique_fd.hpp"

namespace hoist::test {

PtyRun run_in_pty(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                  const std::string& cwd, int columns, std::chrono::seconds limit) {
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> env_lines;
  for (const auto& [k, v] : env) env_lines.push_back(k + "=" + v);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (auto& e : env_lines) envp.push_back(e.data());
  envp.push_back(nullptr);

  winsize ws{};
  ws.ws_col = static_cast<unsigned short>(columns);
  ws.ws_row = 40;
  int master_fd = -1;
  pid_t pid = forkpty(&master_fd, nullptr, nullptr, &ws);
  if (pid < 0) throw std::runtime_error("forkpty failed: " + std::string(std::strerror(errno)));
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  UniqueFd master(master_fd);
  PtyRun run;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  bool killed = false;
  for (;;) {
    pollfd p{master.get(), POLLIN, 0};
    int ready = poll(&p, 1, 200);
    if (ready < 0 && errno == EINTR) continue;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    if (ready == 0) continue;
    char buf[4096];
    ssize_t n = read(master.get(), buf, sizeof buf);
    if (n > 0) {
      run.transcript.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;  // EIO: the child's side of the terminal is closed
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!killed && WIFEXITED(status)) run.code = WEXITSTATUS(status);
  return run;
}

}  // namespace hoist::test
