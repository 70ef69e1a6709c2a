#pragma once
// `hoist ci SUBCOMMAND`: files for CI systems, generated from pipeline files. Today: `hoist ci gitlab-child
// PIPELINE... [--image IMAGE] [--output FILE]`, a GitLab child pipeline with one job per pipeline
// (runner/cli/gitlab_child.hpp). Every pipeline is validated first; all problems are reported at once (exit 2) and
// nothing is written.

#include <string>
#include <vector>

#include "runner/cli/pipeline_commands.hpp"

namespace hoist {

const ArgSpec& ci_arg_spec();
int ci_command(const std::vector<std::string>& args, Console& console);

}  // namespace hoist
