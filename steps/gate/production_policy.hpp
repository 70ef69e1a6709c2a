#pragma once
// Finding the promotion policy where only the people who own production can change it: hoist.yaml at the root of
// the manifest repository's production branch, never a file on another branch, in the app repository or on the
// command line.
//
// Which branch is production: the repository's default branch (its HEAD, the branch hosting services protect and
// Argo CD's prod application usually tracks) — and the policy read there must agree: the environment at the end of
// the promotion order (the last one of Policy::promotion_order(), i.e. whose `after` chain is the longest) must use
// that very branch. A repository whose HEAD is another branch is refused rather than trusted, since then the file
// read would not be the one production's owners guard.

#include <string>

#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

struct ProductionPolicy {
  Policy policy;
  std::string branch;       // the production branch
  std::string commit;       // its tip, where hoist.yaml was read
  std::string environment;  // the production environment
};

// Throws DiagnosticsError (exit 2, "hoist.yaml:line:col: ...") for a policy with errors, InputError (exit 2) when
// the default branch has no hoist.yaml or the policy names another branch as production's.
ProductionPolicy read_production_policy(ManifestRepo& repo);

}  // namespace hoist::promote
