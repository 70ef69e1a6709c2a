#pragma once
// `hoist run`, `hoist plan` and `hoist validate`: the pipeline driver, written as its phases
// (load, validate, resolve, execute, report).

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace hoist {

// What a command may touch of the outside world besides files and child processes.
struct Console {
  std::ostream& out;
  std::ostream& err;
  bool stdout_is_tty = false;
  std::map<std::string, std::string> env;  // the process environment
  std::string cwd;
};

int run_command(const std::vector<std::string>& args, bool plan, Console& console);
int validate_command(const std::vector<std::string>& args, Console& console);

}  // namespace hoist
