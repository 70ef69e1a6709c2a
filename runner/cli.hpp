#pragma once

namespace hoist {

// Parses the command line, runs the command, and returns the process exit code (docs/DESIGN.md).
int cli_main(int argc, char** argv);

}  // namespace hoist
