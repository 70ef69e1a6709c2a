// See gated_files.hpp.
#include "steps/manifest/gated_files.hpp"

#include "runner/util/errors.hpp"
#include "steps/gate/app_files.hpp"
#include "steps/gate/gate.hpp"

namespace hoist {

std::vector<std::string> gated_files(const promote::Policy& policy, const std::string& branch,
                                     const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const auto& env : policy.environments) {
    if (env.branch != branch || env.gate.approvals == 0) continue;
    for (const auto& f : files) {
      std::string path = f;
      while (path.rfind("./", 0) == 0) path.erase(0, 2);
      if (promote::is_values_file(policy, env, path)) out.push_back(env.name + " (" + path + ")");
    }
  }
  return out;
}

void refuse_gated_bump(const BumpSpec& spec, const std::string& step_id, const std::optional<std::string>& text) {
  if (!text) return;
  Diagnostics diags;
  promote::Policy policy = promote::load_policy(*text, "hoist.yaml", diags);
  if (!diags.empty()) return;  // promotion refuses a broken policy itself
  std::vector<std::string> files;
  for (const auto& fe : spec.files) files.push_back(fe.file);
  const std::vector<std::string> gated = gated_files(policy, spec.branch, files);
  if (gated.empty()) return;
  std::string list;
  for (const auto& g : gated) list += (list.empty() ? "" : ", ") + g;
  throw promote::GateRefused("step '" + step_id + "': branch '" + spec.branch + "' holds " + list +
                             ", which has a gate in hoist.yaml: a bump would skip it. Use `hoist promote` (or the "
                             "promote step) to move a gated environment");
}

}  // namespace hoist
