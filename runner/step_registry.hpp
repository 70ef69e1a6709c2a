#pragma once
// The one place where step kinds are registered.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "runner/step_kind.hpp"

namespace hoist {

class StepRegistry {
 public:
  void add(std::unique_ptr<StepKind> kind);
  const StepKind* find(const std::string& name) const;
  std::vector<std::string> names() const;

  // Every kind Hoist ships.
  static const StepRegistry& builtin();

 private:
  std::map<std::string, std::unique_ptr<StepKind>> kinds_;
};

}  // namespace hoist
