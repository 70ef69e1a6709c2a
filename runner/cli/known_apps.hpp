#pragma once
// The apps a manifest repository knows: every app with its file in some environment, i.e. a path on an
// environment's branch that is the app's file there (policy.file_for), found through the environment's file
// patterns ("{app}/prod.values.yaml" matches "billing/prod.values.yaml") and the `apps:` rules' names.
// `hoist status` and `hoist history` use them to list every app, and to refuse a misspelt one with the names.

#include <string>
#include <vector>

#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/production_policy.hpp"

namespace hoist {

// Sorted, distinct.
std::vector<std::string> known_apps(promote::ManifestRepo& repo, const promote::ProductionPolicy& pp);

// Throws InputError (exit 2) unless APP is one of APPS:
// "no app 'api-gatewy' in the manifest repository (did you mean 'api-gateway'?); its apps: api-gateway, billing".
void check_known_app(const std::string& app, const std::vector<std::string>& apps);

}  // namespace hoist
