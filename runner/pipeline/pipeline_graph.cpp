#include "runner/pipeline/pipeline_graph.hpp"

#include <algorithm>
#include <functional>

namespace hoist {

PipelineGraph::PipelineGraph(const Pipeline& pipeline) : pipeline_(pipeline), deps_(pipeline.steps.size()) {
  for (size_t i = 0; i < pipeline.steps.size(); ++i) {
    const Step& s = pipeline.steps[i];
    if (!s.needs_given && s.when != When::on_success) {
      for (size_t j = 0; j < i; ++j) deps_[i].push_back(j);
      continue;
    }
    for (const auto& need : s.needs) {
      auto j = index_of(need);
      if (j && std::find(deps_[i].begin(), deps_[i].end(), *j) == deps_[i].end()) deps_[i].push_back(*j);
    }
  }
}

std::optional<size_t> PipelineGraph::index_of(const std::string& id) const {
  for (size_t i = 0; i < pipeline_.steps.size(); ++i)
    if (pipeline_.steps[i].id == id) return i;
  return std::nullopt;
}

bool PipelineGraph::is_upstream(size_t step, size_t candidate) const {
  std::vector<bool> seen(size(), false);
  std::vector<size_t> stack = deps_[step];
  while (!stack.empty()) {
    size_t n = stack.back();
    stack.pop_back();
    if (n == candidate) return true;
    if (seen[n]) continue;
    seen[n] = true;
    for (size_t d : deps_[n]) stack.push_back(d);
  }
  return false;
}

std::vector<std::vector<size_t>> PipelineGraph::cycles() const {
  enum class Color { white, grey, black };
  std::vector<Color> color(size(), Color::white);
  std::vector<size_t> path;
  std::vector<std::vector<size_t>> found;
  std::function<void(size_t)> visit = [&](size_t n) {
    color[n] = Color::grey;
    path.push_back(n);
    for (size_t d : deps_[n]) {
      if (color[d] == Color::grey) {
        auto start = std::find(path.begin(), path.end(), d);
        std::vector<size_t> cycle(start, path.end());
        cycle.push_back(d);
        found.push_back(std::move(cycle));
      } else if (color[d] == Color::white) {
        visit(d);
      }
    }
    path.pop_back();
    color[n] = Color::black;
  };
  for (size_t i = 0; i < size(); ++i)
    if (color[i] == Color::white) visit(i);
  return found;
}

}  // namespace hoist
