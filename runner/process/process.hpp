#pragma once
// Launching child processes. An interface, because tests of the executor and of step kinds record what would have
// run (FakeProcessRunner) while the real implementation is tested against real processes.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/util/cancel.hpp"
#include "runner/util/errors.hpp"

namespace hoist {

enum class OutputStream { out, err };

struct ProcessSpec {
  std::vector<std::string> argv;                // argv[0] is looked up in env's PATH unless it contains a '/'
  std::map<std::string, std::string> env;       // the child's whole environment
  std::string working_dir;                      // empty: inherit
  std::optional<std::chrono::steady_clock::time_point> deadline;  // kill the process group when reached
  std::string stdin_data;                       // written to the child's stdin, then closed
};

struct ProcessResult {
  int exit_code = -1;     // valid when exited normally
  int signal = 0;         // the signal that ended the child, 0 if it exited
  bool timed_out = false; // killed because the deadline passed
  bool cancelled = false; // killed because the cancel token was set
  bool ok() const { return signal == 0 && exit_code == 0 && !timed_out && !cancelled; }
};

// Called once per complete line (without the newline; a last unterminated line is delivered too).
using LineSink = std::function<void(std::string_view line, OutputStream stream)>;

// The child could not be started ("cannot run 'NAME': command not found", permission denied, no such working
// directory): callers that can do without the program (an optional helper) catch this and nothing else.
class LaunchError : public Error {
 public:
  using Error::Error;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs the child in its own process group; on deadline or cancel, SIGTERM then SIGKILL go to the whole group.
  // Throws LaunchError when the child cannot be started (e.g. "cannot run 'NAME': command not found"); how a
  // started child ended is always in the result.
  virtual ProcessResult run(const ProcessSpec& spec, const LineSink& on_line, const CancelToken& cancel) = 0;
};

// The environment of this process, as a map.
std::map<std::string, std::string> current_environment();

}  // namespace hoist
