#pragma once
// Making an approval record for `hoist approve` and the `approve` step: which digest (given, or what the environment
// before the target runs now), who (the caller's identity), when, and checking every field before anything is
// asked or stored.

#include <optional>
#include <string>

#include "steps/promote/approval_record.hpp"
#include "steps/promote/image_resolver.hpp"
#include "steps/promote/manifest_repo.hpp"
#include "steps/promote/policy.hpp"

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

}  // namespace hoist::promote
