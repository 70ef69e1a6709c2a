#pragma once
// `hoist bump`: one manifest/bump step from command-line flags, run like a one-step pipeline (same checks, same
// reporters, same masking, same exit codes).

#include <string>
#include <vector>

#include "runner/cli/pipeline_commands.hpp"

namespace hoist {

struct ArgSpec;

int bump_command(const std::vector<std::string>& args, Console& console);
// The options `hoist bump` accepts (for the help table's test and the completion).
const ArgSpec& bump_arg_spec();

}  // namespace hoist
