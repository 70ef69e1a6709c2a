#pragma once
// Running a helper program from a test (the server scripts, git, curl) and capturing what it printed. Test-only:
// the product launches processes through runner/process/process.hpp; this stays small and synchronous on purpose.

#include <map>
#include <string>
#include <vector>

namespace hoist::test {

struct Command {
  std::vector<std::string> argv;                // argv[0] is looked up in PATH
  std::map<std::string, std::string> set_env;   // added to (or replacing) this process's environment
  std::vector<std::string> unset_env;           // removed from it
  std::string working_dir;                      // empty: inherit
  std::string input;                            // written to stdin, which is then closed
  bool leak_checked = true;                     // what it prints goes to the leak check (known_secrets.hpp)
};

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0; }
};

// Runs the command to completion. Throws only when it cannot be started at all.
CommandResult run_command(const Command& command);

// "git ARGS..." isolated from the user's and system git configuration, with a fixed identity and no prompts.
Command git_command(std::vector<std::string> args);

// True while any thread of the process runs. A zombie counts as gone, but only once all its threads have exited:
// the main thread of a multi-threaded server (Go's registry) turns zombie first, and the others still hold its
// open files, its listening socket among them, until each has exited (which takes a while on a loaded machine).
bool process_alive(int pid);

}  // namespace hoist::test
