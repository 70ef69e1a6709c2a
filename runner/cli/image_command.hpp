#pragma once
// `hoist image build|tag|copy|digest`: the image steps from command-line flags. build, tag and copy run as
// one-step pipelines (same checks, reporters, masking and exit codes as `hoist run`); digest prints the digest an
// image reference resolves to (exit 2 for a bad reference, 1 when the registry has no such image).

#include <string>
#include <vector>

#include "runner/cli/pipeline_commands.hpp"

namespace hoist {

struct ArgSpec;

int image_command(const std::vector<std::string>& args, Console& console);
// Every option of every `hoist image` subcommand (for the help table's test and the completion).
const ArgSpec& image_arg_spec();

}  // namespace hoist
