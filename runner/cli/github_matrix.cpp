// See github_matrix.hpp.
#include "runner/cli/github_matrix.hpp"

#include <nlohmann/json.hpp>

namespace hoist {

std::string github_matrix_json(const std::vector<ChildJob>& jobs) {
  nlohmann::json include = nlohmann::json::array();
  for (const auto& job : jobs) include.push_back({{"name", child_base_name(job)}, {"pipeline", job.file}});
  return nlohmann::json{{"include", include}}.dump() + "\n";
}

}  // namespace hoist
