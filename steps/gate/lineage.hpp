#pragma once
// `after:` means lineage: a digest may leave an environment only if it reached it through Hoist. Read from the
// branches' history and the trailers Hoist writes, newest first:
//
//   staging  a1b2c3  promote 1.1.0 from qa   Hoist-Promoted-From: qa, Hoist-Promoted-From-Commit: 9f8e7d
//   qa       9f8e7d  bump image.tag 1.1.0    Hoist-Actor: frank (a pipeline's manifest/bump)
//
// For the environment being promoted from, the commit that brought the digest is the oldest of the newest run of
// commits of its values file that run that digest (later commits that keep it — a replica count — do not matter).
// That commit must be a promotion from the environment's own `after` naming a commit of the `after` environment's
// values file that ran the same digest; that commit is checked the same way, back to the first environment, where
// the commit must be a pipeline's bump (it carries Hoist-Actor, or Hoist-Image-Digest naming the digest). A rollback in between is followed to the earlier
// arrival of the digest. A commit pushed by hand breaks the chain, and the rule names the environment and commit.
//
// A commit "runs" the digest when it records it (the digest key, else its Hoist-Image-Digest trailer); a file that
// records no digest is matched by its tag, which the tag rule ties to the digest in the registry.
//
// What this cannot stop: someone who can push to an environment branch can also write Hoist's trailers by hand.
// Protected branches that only the promotion job's credentials may push close that (SECURITY.md).

#include <string>

#include "steps/gate/gate.hpp"
#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

// Whether COMMIT's values FILE runs DIGEST: the digest it records (or its Hoist-Image-Digest), else its tag is TAG.
bool commit_runs(ManifestRepo& repo, const Policy& policy, const std::string& app, const CommitInfo& commit,
                 const std::string& file, const std::string& digest, const std::string& tag);

// The "lineage" rule for promoting DIGEST (tagged TAG) of APP out of environment FROM.
GateRule check_lineage(ManifestRepo& repo, const Policy& policy, const std::string& app, const std::string& from,
                       const std::string& digest, const std::string& tag);

}  // namespace hoist::promote
