#pragma once
// Making an approval record for `hoist approve` and the `approve` step: which digest (given, or what the environment
// before the target runs now), who (the caller's identity), when, and checking every field before anything is
// asked or stored.

#include <optional>
#include <string>
#include <vector>

#include "steps/gate/approval_record.hpp"
#include "steps/gate/approval_set.hpp"
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

struct ApprovalSetInput {
  std::string env;
  std::vector<std::string> apps;      // or all
  bool all = false;                   // every app whose digest in env's `after` differs from env's
  std::string approver;
  TimePoint time;
  std::string pipeline_url;
  std::string comment;
};

// One approval over a release: each app's digest is what env's `after` runs now. Throws InputError for an
// environment without `after`, no apps (none given, or --all and nothing differs), apps and --all both, an app named
// twice or a field that cannot be written; hoist::Error when an app's digest is unknown.
ApprovalSet new_approval_set(ManifestRepo& repo, const Policy& policy, const ApprovalSetInput& input,
                             ImageResolver& resolver);

// What an approver should know now rather than at promotion: the environment has no gate (nothing needs the
// approval), the approver is not one of its approvers, or (self_approval: false) the approver built, bumped or
// promoted this digest on its way, so the approval will not count. Each a sentence for "warning: ...". (Whoever
// promotes it later cannot count either; that is told at promotion.)
std::vector<std::string> approval_warnings(ManifestRepo& repo, const Policy& policy, const ApprovalRecord& record);

}  // namespace hoist::promote
