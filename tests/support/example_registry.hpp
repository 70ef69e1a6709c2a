#pragma once
// The registry of the example story, for the CI-system tests: a real registry with basic auth, docker's config.json
// holding its credentials (what a CI job is given: GitLab's REGISTRY_AUTH_FILE file variable, a runner's
// DOCKER_CONFIG), and the example base image (pipelines/base-runtime.yaml: REGISTRY/base/runtime:1.4) already
// pushed, so pipelines/api-gateway.yaml builds on it as scripts/demo does. Images are read back with skopeo, a
// client nobody here wrote.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace hoist::test {

class ExampleRegistry {
 public:
  // Starts the registry, writes the auth file and pushes the base image; throws std::runtime_error with hoist's
  // output when the push fails.
  ExampleRegistry();

  const RegistryServer& server() const { return server_; }
  const std::string& host() const { return server_.host(); }  // REGISTRY: "127.0.0.1:PORT"
  // docker's config.json with this registry's credentials (mode 0600), alone in its directory (DOCKER_CONFIG).
  std::filesystem::path auth_file() const { return dir_ / "docker" / "config.json"; }
  std::filesystem::path docker_config_dir() const { return dir_ / "docker"; }
  const std::string& auth_json() const { return auth_json_; }

  // `skopeo inspect` of REGISTRY/REFERENCE ("shop/api-gateway:1a2b3c4d"), with the auth file: the image's digest,
  // labels, ... as JSON. Throws std::runtime_error with skopeo's message when it fails.
  nlohmann::json inspect(const std::string& reference) const;

  // The registry's credentials in every spelling the leak check looks for.
  std::vector<std::string> credential_forms() const;

 private:
  RegistryServer server_;
  TempDir dir_;
  std::string auth_json_;
};

}  // namespace hoist::test
