#pragma once
// Running a program on a pseudo-terminal of a chosen width (forkpty), as a person at a terminal would, and keeping
// everything it wrote, escape sequences included: for tests of what Hoist draws on a TTY.

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace hoist::test {

struct PtyRun {
  int code = -1;           // exit status; -1 when it was killed
  std::string transcript;  // stdout and stderr as the terminal received them (the pty turns "\n" into "\r\n")
};

// Runs `argv` with exactly `env` in `cwd` on a new terminal `columns` wide; killed after `limit` as a hang guard.
PtyRun run_in_pty(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                  const std::string& cwd, int columns, std::chrono::seconds limit = std::chrono::seconds(120));

}  // namespace hoist::test
