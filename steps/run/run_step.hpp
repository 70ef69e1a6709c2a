#pragma once
// The `run` step: a shell command, run by bash with errexit and pipefail, in its own process group.
// A command sets outputs by writing `name=value` lines (or `name<<DELIM` ... `DELIM` blocks) to $HOIST_OUTPUT.
// Its `exit_code` output is the exit status, or 128 + N when the command was killed by signal N.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "runner/exec/step_kind.hpp"

namespace hoist {

std::unique_ptr<StepKind> make_run_step();

// Parses the $HOIST_OUTPUT file format. Throws hoist::Error on a malformed line.
std::map<std::string, std::string> parse_output_file(std::string_view text);

}  // namespace hoist
