#pragma once
// The builds an environment ran, read from its branch history, for the "newer" rule of a promotion
// (steps/gate/build_order.hpp). Every commit that brings an image records the build in trailers: a pipeline's bump
// writes Hoist-Source-Commit and Hoist-Build-Number, a promotion copies them forward from the source environment.

#include <string>
#include <vector>

#include "steps/gate/build_order.hpp"
#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

// The build of DIGEST as recorded where it arrived in ENV (the newest commit of APP's values file that runs DIGEST
// and records a source commit or a build number), else in the environment before, back to the first. Only the
// digest is known when nothing records more.
BuildId build_in(ManifestRepo& repo, const Policy& policy, const std::string& env, const std::string& app,
                 const std::string& digest);

// The builds that arrived in ENV's values file of APP, oldest first: one per commit that records a digest.
std::vector<BuildId> arrivals_in(ManifestRepo& repo, const Policy& policy, const std::string& env,
                                 const std::string& app);

}  // namespace hoist::promote
