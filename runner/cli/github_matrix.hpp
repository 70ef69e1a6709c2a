#pragma once
// A GitHub Actions matrix with one entry per Hoist pipeline, for monorepos with many services: a planning job runs
// `hoist ci github-matrix pipelines/*.yaml --changed changed.txt` and hands the JSON to a job with
// `strategy: matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}`, whose steps run `hoist run ${{ matrix.pipeline }}`.
// With a list of changed paths only the pipelines whose paths (runner/cli/pipeline_paths.hpp) one of them matches
// are in it. One line of JSON, as $GITHUB_OUTPUT takes it:
//   {"include":[{"name":"billing","pipeline":"services/billing/pipeline.yaml"}]}
// GitHub refuses a matrix with no entries: guard the job with `if: fromJSON(needs.plan.outputs.matrix).include[0]`.

#include <string>
#include <vector>

#include "runner/cli/gitlab_child.hpp"

namespace hoist {

std::string github_matrix_json(const std::vector<ChildJob>& jobs);

}  // namespace hoist
