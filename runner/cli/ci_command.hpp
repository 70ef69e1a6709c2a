#pragma once
// `hoist ci SUBCOMMAND`: files for CI systems, generated from pipeline files: `hoist ci gitlab-child PIPELINE...
// [--image IMAGE] [--output FILE]`, a GitLab child pipeline with one job per pipeline, each with `rules: changes:`
// (runner/cli/gitlab_child.hpp); `hoist ci github-matrix PIPELINE... [--changed FILE] [--output FILE]`, a GitHub
// Actions matrix of the pipelines, only those whose paths a changed file matches (runner/cli/github_matrix.hpp).
// Every pipeline is validated first, without run-time values; all problems are reported at once (exit 2) and
// nothing is written.

#include <string>
#include <vector>

#include "runner/cli/pipeline_commands.hpp"

namespace hoist {

const ArgSpec& ci_arg_spec();
int ci_command(const std::vector<std::string>& args, Console& console);

}  // namespace hoist
