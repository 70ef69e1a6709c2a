#pragma once
// The step kinds a pipeline can name, by name. The built-in kinds are registered in one place: runner/cli/builtin_kinds.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runner/exec/step_kind.hpp"

namespace hoist {

class StepRegistry : public KindCatalog {
 public:
  void add(std::unique_ptr<StepKind> kind);
  const StepKind* find(const std::string& name) const override;
  std::vector<std::string> names() const override;

 private:
  std::map<std::string, std::unique_ptr<StepKind>> kinds_;
};

}  // namespace hoist
