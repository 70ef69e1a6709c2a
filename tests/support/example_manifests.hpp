#pragma once
// The example manifest repository (examples/manifests: hoist.yaml and api-gateway's values files) as a seed for the
// test git server, so the CI-system tests run against what ships with the project. Every branch (qa, staging,
// master) starts with the whole tree, as scripts/demo seeds it. Two placeholders are filled: REGISTRY becomes the
// test's registry, and, as after an earlier deploy, every empty `digest: ""` becomes kPreviousDigest.

#include <string>

#include "tests/support/git_server.hpp"

namespace hoist::test {

inline const std::string kPreviousDigest = "sha256:" + std::string(64, '0');

// Every file under examples/manifests, by path relative to it, placeholders filled; REGISTRY is `registry`
// ("HOST:PORT").
RepoFiles example_manifest_files(const std::string& registry);

// {qa, staging, master} -> example_manifest_files(registry).
RepoSeed example_manifest_seed(const std::string& registry);

}  // namespace hoist::test
