#pragma once
// The apps a manifest repository knows: every app with its file in some environment (policy.file_for), found
// through the environment's file patterns ("{app}/prod.values.yaml" matches "billing/prod.values.yaml") and the
// `apps:` rules' names (app_files.hpp). Every command and step that takes an app's name refuses a misspelt one with
// the one message here (status, history, promote, rollback, approve, gate-status, the promote and approve steps).

#include <string>
#include <vector>

#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

// Sorted, distinct.
std::vector<std::string> known_apps(ManifestRepo& repo, const Policy& policy);

// Throws InputError (exit 2) unless APP is one of APPS:
// "no app 'api-gatewy' in the manifest repository (did you mean 'api-gateway'?); its apps: api-gateway, billing".
void check_known_app(const std::string& app, const std::vector<std::string>& apps);

// check_known_app against the repository, cheaply when APP has its file in one of READ_FIRST (environments the
// caller reads anyway): then nothing else is fetched. Also throws InputError for a name that is no app name.
void require_known_app(ManifestRepo& repo, const Policy& policy, const std::string& app,
                       const std::vector<std::string>& read_first);

}  // namespace hoist::promote
