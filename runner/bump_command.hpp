#pragma once
// `hoist bump`: one manifest/bump step from command-line flags, run like a one-step pipeline (same checks, same
// reporters, same masking, same exit codes).

#include <string>
#include <vector>

#include "runner/pipeline_commands.hpp"

namespace hoist {

int bump_command(const std::vector<std::string>& args, Console& console);

}  // namespace hoist
