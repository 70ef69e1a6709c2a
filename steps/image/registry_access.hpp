#pragma once
// What the image steps share at the boundary between the image builder (hoist::image) and the registry client
// (hoist::registry): the `with` keys that say how to reach a registry (username, password, ca_file, insecure), the
// client options made from them, a BaseLookup that reads base images from a registry, and conversions between the
// two Platform types (kept separate so the builder does not depend on the client).

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runner/exec/step_kind.hpp"
#include "runner/util/diagnostics.hpp"
#include "steps/image/image_build.hpp"
#include "steps/registry/client.hpp"

namespace hoist::image {

struct RegistryAccess {
  std::string username;
  std::string password;
  std::string ca_file;
  bool insecure = false;
};

// Reads username, password, ca_file and insecure from `with` (the keys that are present).
RegistryAccess read_registry_access(const YAML::Node& with, const std::string& file, Diagnostics& diags);

// The shape check shared by image/tag and image/copy: `with` is a mapping holding `required` keys, and no key but
// those and the registry access keys. Reports each problem for `kind`; false when `with` is no mapping at all.
bool check_registry_step_with(const YAML::Node& with, const Location& at, const std::string& kind,
                              const std::vector<std::string>& required, const std::string& file, Diagnostics& diags);

// Client options for talking to `registries` ("127.0.0.1:5000"): the step's credentials for `credentialed` (the
// registries the step's username/password are for), docker's config for the rest (read from `env`), ca_file,
// insecure for every one of `registries`. `debug` receives "METHOD url -> status" lines when HOIST_DEBUG is set in
// `env` (credentials are never part of them). `processes` runs docker credential helpers.
registry::ClientOptions client_options(const RegistryAccess& access, const std::vector<std::string>& credentialed,
                                       const std::vector<std::string>& registries,
                                       const std::map<std::string, std::string>& env, ProcessRunner& processes,
                                       std::function<void(std::string_view)> debug);

// client_options for a step: debug lines go to the step's stderr, blob progress to ctx.progress, helpers run
// through ctx.processes.
registry::ClientOptions step_client_options(const RegistryAccess& access, const std::vector<std::string>& credentialed,
                                            const std::vector<std::string>& registries, StepContext& ctx);

registry::Platform to_registry(const Platform& p);
Platform from_registry(const registry::Platform& p);

// A BaseLookup backed by a registry: the image manifest for the platform and its config blob. Remembers which
// platform manifest each lookup resolved to, so the step can copy the base's layers into the target repository.
class RegistryBases {
 public:
  // With a store, base configs are read from it when there (by digest) and kept in it when downloaded.
  explicit RegistryBases(registry::RegistryClient& client, ContentStore* store = nullptr)
      : client_(client), store_(store) {}
  std::optional<BaseImage> operator()(const std::string& base, const Platform& platform);
  // base@digest for every platform looked up, in lookup order, without repeats.
  const std::vector<registry::Reference>& resolved() const { return resolved_; }
  BaseLookup lookup() {
    return [this](const std::string& b, const Platform& p) { return (*this)(b, p); };
  }

 private:
  std::string config_blob(const registry::Reference& ref, const std::string& digest);

  registry::RegistryClient& client_;
  ContentStore* store_;
  std::vector<registry::Reference> resolved_;
};

// Load-time check of a `with` value that must be an image reference (unless it holds ${...}, resolved later).
void check_reference(const YAML::Node& node, const std::string& file, Diagnostics& diags);

// Whether the reference text names a tag itself ("host:5000/a/b:v1"), rather than getting ":latest" by default.
bool has_explicit_tag(std::string_view text);

}  // namespace hoist::image
