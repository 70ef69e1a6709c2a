#pragma once

#include <string>
#include <vector>

namespace hoist {

// Parses the command line, runs the command, and returns the process exit code (docs/DESIGN.md).
int cli_main(int argc, char** argv);

// Every command in the CLI's dispatch table, with the options its parser accepts (for the help tests).
struct DispatchedCommand {
  std::string name;
  std::vector<std::string> options;  // "--var", "--plan", ...
  bool hidden = false;               // internal; not in --help
};
std::vector<DispatchedCommand> dispatched_commands();

}  // namespace hoist
