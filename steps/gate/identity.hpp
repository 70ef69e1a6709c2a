#pragma once
// Who is running Hoist, and who built a digest: the identity recorded on an approval, as the promoter, and in a bump's
// Hoist-Actor trailer, and compared with approvers, promoters and builders.
//
// Only the CI system that is actually running Hoist speaks for it, through the job identity it sets itself:
//   GitLab     GITLAB_CI=true              GITLAB_USER_LOGIN
//   Bitbucket  BITBUCKET_BUILD_NUMBER set  BITBUCKET_STEP_TRIGGERER_UUID (mapped through the policy's `identities`)
//   GitHub     GITHUB_ACTIONS=true         GITHUB_TRIGGERING_ACTOR (a re-run's), else GITHUB_ACTOR
// Outside CI: git's user.email, else user.name (global and system configuration), else USER. Callers pass the
// process environment — never a step's `env`, which a pipeline file writes. Without `signed: true` this is only as
// trustworthy as the CI system (or the machine) it comes from; see SECURITY.md.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "steps/gate/policy.hpp"

namespace hoist::promote {

using EnvMap = std::map<std::string, std::string>;

struct CiIdentity {
  std::string system;               // "GitLab", "Bitbucket", "GitHub"
  std::vector<std::string> people;  // raw identities, who runs the job first (GitHub: triggering actor, actor)
};

// The CI system detected in ENV and the job's people; nullopt outside CI. A detected system that names nobody
// yields an empty `people`.
std::optional<CiIdentity> ci_identity(const EnvMap& env);

// Who runs Hoist (see above), mapped through the policy's `identities`. `git_identity` answers git's user.email,
// else user.name, else "" (steps/git/git_identity.hpp); it is asked only outside CI. Throws InputError when nothing
// names anyone.
std::string current_identity(const EnvMap& env, const Policy& policy, const std::function<std::string()>& git_identity);

// Who built or bumped: every raw identity of the CI job, else the local one; what bumps record as Hoist-Actor.
std::vector<std::string> builder_identities(const EnvMap& env, const std::function<std::string()>& git_identity);

// The author of a commit Hoist makes for IDENTITY: GitLab's GITLAB_USER_NAME / GITLAB_USER_EMAIL when GitLab runs
// the job, else IDENTITY with IDENTITY as e-mail when it is one, else IDENTITY@users.noreply.hoist.
std::pair<std::string, std::string> commit_author(const std::string& identity, const EnvMap& env);

}  // namespace hoist::promote
