#pragma once
// Making an approval record for `hoist approve` and the `approve` step: which digest (given, or what the environment
// before the target runs now), who (the caller's identity), when, and checking every field before anything is
// asked or stored.

#include <optional>
#include <string>
#include <vector>

#include "steps/gate/approval_record.hpp"
#include "steps/gate/image_resolver.hpp"
#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

struct ApprovalInput {
  std::string app;
  std::string env;
  std::optional<std::string> digest;  // else what env's `after` runs now
  std::string approver;               // identity
  TimePoint time;
  std::string pipeline_url;
  std::string comment;
};

// Throws InputError for an unknown environment, a bad app name or digest, a field that cannot be written, or no
// digest given for an environment without `after`; hoist::Error when the `after` environment's digest is unknown.
ApprovalRecord new_approval(ManifestRepo& repo, const Policy& policy, const ApprovalInput& input,
                            ImageResolver& resolver);

// What an approver should know now rather than at promotion: the environment has no gate (nothing needs the
// approval), the approver is not one of its approvers, or (self_approval: false) the approver built, bumped or
// promoted this digest on its way, so the approval will not count. Each a sentence for "warning: ...". (Whoever
// promotes it later cannot count either; that is told at promotion.)
std::vector<std::string> approval_warnings(ManifestRepo& repo, const Policy& policy, const ApprovalRecord& record);

}  // namespace hoist::promote
