#pragma once
// The `manifest/bump` step: sets image tags (or any values) in files of a manifest repository's branch, in one
// commit, pushed without force; when another pipeline pushed first, the edit is applied again on the new tip.
// `hoist bump` runs the same step from command-line flags.

#include <memory>
#include <string>
#include <vector>

#include "runner/exec/step_kind.hpp"
#include "steps/manifest/bump_spec.hpp"

namespace hoist {

std::unique_ptr<StepKind> make_manifest_bump_step();

// "Name <email>" → name, email. Throws InputError when malformed.
std::pair<std::string, std::string> parse_author(const std::string& author);

// The author of a bump when the step names none: the detected CI system's user (GitLab, GitHub, Bitbucket) as
// promote::commit_author makes it, else Hoist. ENV is the process environment.
std::pair<std::string, std::string> default_author(const std::map<std::string, std::string>& env);

// Who a bump records as Hoist-Actor: the CI job's people from the process environment, else the local git identity.
std::vector<std::string> builder_identities();

}  // namespace hoist
