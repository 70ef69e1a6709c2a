#include "runner/exec/step_registry.hpp"

namespace hoist {

void StepRegistry::add(std::unique_ptr<StepKind> kind) {
  std::string name = kind->name();
  kinds_[name] = std::move(kind);
}

const StepKind* StepRegistry::find(const std::string& name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : it->second.get();
}

std::vector<std::string> StepRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : kinds_) out.push_back(name);
  return out;
}

}  // namespace hoist
