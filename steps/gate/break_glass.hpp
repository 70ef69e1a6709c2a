#pragma once
// Two gate keys of hoist.yaml beyond approvals and freeze windows:
//
//   gate:
//     soak: 4h                          # the digest must have run in `after` at least this long
//     freeze_override:                  # break-glass: promote during a freeze window, never on a flag alone
//       approvals: 1                    #   this many distinct people of `approvers` approved this digest, on top of
//       approvers: ["@sre", dana]       #   the gate's own approvals; and `--freeze-override REASON` was given
//
// A frozen gate passes the freeze rule only with both the reason and the override approvals (valid records for this
// digest, as for the approvals rule: not expired, not the promoter's or a builder's unless self_approval, signed when
// `signed: true`); the commit records `Hoist-Freeze-Override: REASON` and one `Hoist-Freeze-Override-By` per
// override approver. Without `freeze_override` in the policy, nothing gets past a freeze.

#include <yaml-cpp/yaml.h>

#include <string>

#include "runner/util/diagnostics.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

// Reads `soak` and `freeze_override` of a gate mapping N into GATE; problems to DIAGS at their places.
void load_soak_and_override(const YAML::Node& n, Gate& gate, const std::string& file, Diagnostics& diags);

// After groups are known: the override's approvers name known groups, and there are enough of them.
void check_freeze_override(const Policy& policy, const Environment& env, Diagnostics& diags);

}  // namespace hoist::promote
