#pragma once
// `hoist completion bash`: a bash completion script generated from the help table (commands, their options, option
// values, pipeline files), and `hoist __steps FILE`, the hidden command it calls to complete --only with the step ids
// of the pipeline given earlier on the line.

#include <ostream>
#include <string>

namespace hoist {

std::string bash_completion();

// Prints the step ids of the pipeline in `file`, one per line; nothing when it cannot be read. Never throws.
void print_step_ids(const std::string& file, std::ostream& out);

}  // namespace hoist
