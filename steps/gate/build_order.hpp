#pragma once
// "No backwards moves": whether the build about to run in an environment is older than the one running there now.
// What Hoist records about a build (trailers of the commit that brought it, copied forward by every promotion):
//
//   Hoist-Source-Commit: 9f8e7d...   the application commit it was built from (the pipeline's COMMIT_SHA)
//   Hoist-Build-Number: 1234         the CI system's pipeline number, when it is a number (PIPELINE_ID)
//   Hoist-Image-Digest: sha256:...   the image
//
// "Older" is decided by the strongest evidence available, in this order:
//   1. ancestry   both source commits are in the CI job's checkout: ours is a strict ancestor of the running one's
//                 (older) or the running one's is an ancestor of ours (newer). Commits on diverged branches fall
//                 through. A shallow checkout cannot say "not an ancestor", so it falls through too.
//   2. history    ours first arrived in the environment's branch before the running one first did: it ran there
//                 and was replaced (a rollback to it since then does not make the newer one older). This comes
//                 before build numbers because a new pipeline on an old commit gets a new, higher number.
//   3. build      both builds recorded a build number: the lower one is older (a re-run of an old pipeline keeps
//      order    its number on GitLab, GitHub and Bitbucket; two pipelines that finish out of order).
// Nothing of that: not older (there is no evidence to refuse on). The same source commit: not older (a rebuild).
// A move to an older build is refused unless asked for explicitly (--allow-older / `allow_older: true`, recorded as
// the trailer Hoist-Allow-Older: true); `hoist rollback` is exempt by design.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "steps/gate/gate.hpp"
#include "steps/git/file_history.hpp"

namespace hoist::promote {

struct BuildId {
  std::string source_commit;  // Hoist-Source-Commit, may be empty
  std::string build_number;   // Hoist-Build-Number (digits), may be empty
  std::string digest;         // may be empty

  bool empty() const { return source_commit.empty() && build_number.empty() && digest.empty(); }
  // The same build: the same digest, or else the same source commit.
  bool same_as(const BuildId& other) const;
  // "source 9f8e7d6c5b4a, build 1234, sha256:0123456789ab", for messages.
  std::string describe() const;
};

// The build a commit records in its trailers (digest from Hoist-Image-Digest).
BuildId build_of(const CommitInfo& commit);

// "1234" for a CI pipeline number; empty for anything that is not one ("local", a UUID).
std::string build_number_of(const std::string& pipeline_id);

// Is ANCESTOR an ancestor of DESCENDANT? nullopt when it cannot be told (steps/git/ancestry.hpp in production).
using AncestryCheck = std::function<std::optional<bool>(const std::string& ancestor, const std::string& descendant)>;

struct NewerInput {
  std::string env;                      // the environment being moved, for messages
  BuildId ours;                         // what would run there
  std::optional<BuildId> running;       // what runs there now, when anything is known
  std::vector<BuildId> arrivals;        // the builds that arrived in the environment, oldest first
  AncestryCheck ancestry;               // may be empty: no checkout
  bool allow_older = false;             // --allow-older / allow_older: true
  std::string allow_flag = "--allow-older";  // how the caller spells the override, for the message
};

struct NewerVerdict {
  GateRule rule;        // "newer": passes unless OURS is older than RUNNING (or, when older, with allow_older)
  bool older = false;   // OURS is older: with allow_older the caller records Hoist-Allow-Older: true
};

NewerVerdict newer_rule(const NewerInput& input);

}  // namespace hoist::promote
