#pragma once
// The example manifest repository (examples/manifests: hoist.yaml and api-gateway's values files) as a seed for the
// test git server, so the CI-system tests run against what ships with the project. Every branch (qa, staging,
// master) starts with the whole tree, as scripts/demo seeds it. Two placeholders are filled as after an earlier
// deploy: REGISTRY becomes 127.0.0.1:9 (never contacted) and every empty `digest: ""` becomes kPreviousDigest, so
// each environment records a digest and promotion needs no registry.

#include <string>

#include "tests/support/git_server.hpp"

namespace hoist::test {

inline const std::string kPreviousDigest = "sha256:" + std::string(64, '0');

// Every file under examples/manifests, by path relative to it, placeholders filled.
RepoFiles example_manifest_files();

// {qa, staging, master} -> example_manifest_files().
RepoSeed example_manifest_seed();

}  // namespace hoist::test
