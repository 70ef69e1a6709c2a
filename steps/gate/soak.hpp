#pragma once
// `soak: 4h` on an environment's gate: a digest may be promoted into it only after it has run in the environment it
// comes from (`after`) for at least that long. When it started running there is read from the source branch: the
// oldest of the newest run of commits of the app's values file that run the digest (a later commit that keeps it,
// such as a replica count, does not restart the clock); its commit time is when the digest arrived. The clock is
// the caller's (tests inject it).

#include <string>

#include "steps/gate/gate.hpp"
#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

// The "soak" rule for promoting DIGEST (tagged TAG) of APP from FROM into TO at NOW.
GateRule soak_rule(ManifestRepo& repo, const Policy& policy, const std::string& app, const std::string& from,
                   const std::string& digest, const std::string& tag, const Environment& to, TimePoint now);

}  // namespace hoist::promote
