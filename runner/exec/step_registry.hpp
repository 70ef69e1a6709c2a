#pragma once
// The step kinds a pipeline can name, by name. The built-in kinds are registered in one place: runner/cli/builtin_kinds.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runner/exec/step_kind.hpp"

namespace hoist {

class StepRegistry {
 public:
  void add(std::unique_ptr<StepKind> kind);
  const StepKind* find(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  std::map<std::string, std::unique_ptr<StepKind>> kinds_;
};

}  // namespace hoist
