#pragma once
// Checks shared by the CI-system tests (GitLab, Bitbucket) on what the example story leaves behind: the image the
// example pipeline pushed, what each environment's values file runs, the prod promotion's trailers, and no
// credential anywhere. Each records Catch2 assertions in the calling test.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/example_registry.hpp"
#include "tests/support/git_server.hpp"

namespace hoist::test {

// shop/api-gateway as skopeo reads it: tagged COMMIT and its first 8 characters with one digest, labelled
// org.opencontainers.image.revision = COMMIT and .source = SOURCE. Returns the digest.
std::string check_example_image(const ExampleRegistry& registry, const std::string& commit, const std::string& source);

// The manifest repository "manifests": api-gateway/ENV.values.yaml on BRANCH sets TAG and DIGEST.
void check_runs(const GitServer& git, const std::string& branch, const std::string& env, const std::string& tag,
                const std::string& digest);

// The tip of master promoted DIGEST, approved by alice and bob, promoted by PROMOTER.
void check_prod_promotion(const GitServer& git, const std::string& digest, const std::string& promoter);

// The leak check with both servers' credentials over PRINTED, TREES, the manifest repository and the registry's
// storage: one line per finding, empty when clean.
std::vector<std::string> example_leaks(const GitServer& git, const ExampleRegistry& registry,
                                       const std::map<std::string, std::string>& printed,
                                       std::vector<std::filesystem::path> trees);

}  // namespace hoist::test
