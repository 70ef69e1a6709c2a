// See break_glass.hpp.
#include "steps/gate/break_glass.hpp"

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/duration.hpp"

namespace hoist::promote {

void load_soak_and_override(const YAML::Node& n, Gate& gate, const std::string& file, Diagnostics& diags) {
  if (const YAML::Node v = n["soak"]; v) {
    if (auto s = read_string(v, "soak", file, diags)) {
      auto d = parse_duration(*s);
      if (!d || d->count() < 1000)
        diags.add(location_of(v, file), "'soak' must be a duration of at least 1s, like 4h or 90m, got '" + *s + "'");
      else
        gate.soak = std::chrono::duration_cast<std::chrono::seconds>(*d);
    }
  }
  const YAML::Node o = n["freeze_override"];
  if (!o || !expect_map(o, "freeze_override", file, diags)) return;
  check_keys(o, {"approvals", "approvers"}, "freeze_override", file, diags);
  FreezeOverride fo;
  fo.location = location_of(o, file);
  if (const YAML::Node v = o["approvals"]; !v) {
    diags.add(fo.location, "'freeze_override' needs 'approvals' (how many of its approvers must approve, at least 1)");
  } else if (auto i = read_integer(v, "approvals", file, diags)) {
    if (*i < 1 || *i > 1000)
      diags.add(location_of(v, file), "'freeze_override' 'approvals' must be between 1 and 1000, got " +
                                          std::to_string(*i));
    else
      fo.approvals = static_cast<int>(*i);
  }
  if (const YAML::Node v = o["approvers"]; !v) {
    diags.add(fo.location, "'freeze_override' needs 'approvers' (who may break the glass)");
  } else if (auto list = read_string_list(v, "approvers", file, diags)) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i].empty() || (*list)[i] == "@")
        diags.add(location_of(v[i], file), "an approver must not be empty");
      else
        fo.approvers.push_back((*list)[i]);
    }
  }
  gate.freeze_override = std::move(fo);
}

void check_freeze_override(const Policy& policy, const Environment& env, Diagnostics& diags) {
  const auto& fo = env.gate.freeze_override;
  if (!fo) return;
  for (const auto& a : fo->approvers)
    if (a.front() == '@' && !policy.groups.count(a.substr(1)))
      diags.add(fo->location, "'freeze_override' of '" + env.name + "' names unknown group '" + a + "'");
  const std::size_t people = policy.people(fo->approvers).size();
  if (fo->approvals > 0 && !fo->approvers.empty() && static_cast<std::size_t>(fo->approvals) > people)
    diags.add(fo->location, "'freeze_override' of '" + env.name + "' needs " + std::to_string(fo->approvals) +
                                " approvals but only " + std::to_string(people) +
                                (people == 1 ? " person" : " people") + " may give them");
}

}  // namespace hoist::promote
