#pragma once
// Who is running Hoist: the identity recorded on an approval and compared with approvers, promoters and builders.
// CI systems say who triggered the job; outside CI, git's configuration; last, the login name. Without `signed:
// true` this is only as trustworthy as the environment it comes from, which is why signed gates exist.

#include <functional>
#include <map>
#include <string>

#include "steps/promote/policy.hpp"

namespace hoist::promote {

// The first non-empty of: GITLAB_USER_LOGIN; BITBUCKET_STEP_TRIGGERER_UUID mapped through the policy's
// `identities` (an unmapped UUID is returned as it is); GITHUB_ACTOR; git's user.email, else user.name (global and
// system configuration); USER. Throws InputError when none is set.
std::string current_identity(const std::map<std::string, std::string>& env, const Policy& policy);

// Same, with git's answer (user.email, else user.name, else "") supplied by `git_identity`, for tests.
std::string current_identity(const std::map<std::string, std::string>& env, const Policy& policy,
                             const std::function<std::string()>& git_identity);

// user.email, else user.name, from git's global and system configuration (read with libgit2); "" when neither.
std::string git_config_identity();

}  // namespace hoist::promote
