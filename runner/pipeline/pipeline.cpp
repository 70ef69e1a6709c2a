#include "runner/pipeline/pipeline.hpp"

namespace hoist {

const char* to_string(When w) {
  switch (w) {
    case When::on_success: return "on_success";
    case When::on_failure: return "on_failure";
    case When::always: return "always";
  }
  return "on_success";
}

const Step* Pipeline::find(const std::string& id) const {
  for (const auto& s : steps)
    if (s.id == id) return &s;
  return nullptr;
}

}  // namespace hoist
