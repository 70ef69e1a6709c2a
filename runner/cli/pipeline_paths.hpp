#pragma once
// The repository paths a pipeline is about, for `hoist ci`: a service's job runs when one of them changed (GitLab
// `rules: changes:`, `hoist ci github-matrix --changed`). Always the pipeline file itself; then its `paths:` globs
// when it has them; else what its steps read from the checkout, where that is written literally (no ${...}): each
// `working_dir` and image/build layer `src` with everything under it, and a `run` that starts with a relative
// path (a script such as examples/api-gateway/test.sh). A pipeline whose steps name nothing of the checkout gets
// only its own file: give it `paths:`.
//
//   pipeline_paths(<pipelines/api-gateway.yaml>) ==
//     {"pipelines/api-gateway.yaml", "examples/api-gateway/test.sh", "examples/api-gateway/app",
//      "examples/api-gateway/app/**/*"}

#include <string>
#include <vector>

#include "runner/pipeline/pipeline.hpp"

namespace hoist {

// Globs relative to the repository root (the directory hoist runs in), distinct, in the order found.
std::vector<std::string> pipeline_paths(const Pipeline& pipeline);

// Whether one of `changed` (paths as `git diff --name-only` prints them) matches one of `paths`.
bool touches(const std::vector<std::string>& paths, const std::vector<std::string>& changed);

}  // namespace hoist
