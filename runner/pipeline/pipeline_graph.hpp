#pragma once
// The order steps run in. A step waits for the steps it `needs`. A step with `when: on_failure` or `always` and no
// `needs` waits for every step written before it, so it acts as the pipeline's clean-up or notification at the end.

#include <optional>
#include <string>
#include <vector>

#include "runner/pipeline/pipeline.hpp"

namespace hoist {

class PipelineGraph {
 public:
  // Needs naming unknown steps are ignored here (pipeline_check reports them).
  explicit PipelineGraph(const Pipeline& pipeline);

  size_t size() const { return deps_.size(); }
  const std::vector<size_t>& deps(size_t step) const { return deps_[step]; }
  std::optional<size_t> index_of(const std::string& id) const;
  // True when `candidate` is reached from `step` by following dependencies.
  bool is_upstream(size_t step, size_t candidate) const;
  // Every elementary cycle found by a depth-first search, each as step indexes [a, b, ..., a].
  std::vector<std::vector<size_t>> cycles() const;

 private:
  const Pipeline& pipeline_;
  std::vector<std::vector<size_t>> deps_;
};

}  // namespace hoist
