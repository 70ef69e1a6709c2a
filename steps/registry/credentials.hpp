#pragma once
// Where registry credentials come from when a step gives none: Docker's config files, read the way docker and
// podman read them, including credential helpers (`docker-credential-<name> get`).

#include <map>
#include <optional>
#include <string>

#include "runner/process/process.hpp"

namespace hoist::registry {

struct Credentials {
  std::string username;
  std::string password;
  // An OAuth2 refresh token (config.json's `identitytoken`, as `az acr login` and others write it): exchanged at the
  // registry's token realm for access tokens instead of sending username/password.
  std::string identity_token;
};

// Credentials for `registry` (a Reference's registry: "docker.io", "127.0.0.1:5000") from, in order,
// $REGISTRY_AUTH_FILE, Podman's $XDG_RUNTIME_DIR/containers/auth.json and $XDG_CONFIG_HOME/containers/auth.json
// (else $HOME/.config/containers/auth.json), $DOCKER_CONFIG/config.json (else $HOME/.docker/config.json); `env` is the environment to read
// (HOME, DOCKER_CONFIG, REGISTRY_AUTH_FILE, PATH for helpers). In each file: credHelpers[registry], else credsStore,
// else auths[registry] (`auth` = base64 "user:password", or `username`/`password`; `identitytoken` beside them). Keys may be written as
// "host", "https://host" or "https://host/v1/". Returns nullopt when nothing is configured.
// Throws hoist::InputError for a malformed file (naming the file, never its content) and hoist::Error when a helper
// fails (naming the helper and the registry, never what it printed).
// `runner` runs the helpers; without one, a configured helper is an error.
// `repository` ("org/app") picks among auths keys scoped to repositories ("quay.io/org"): the longest prefix wins,
// a key naming only the registry is the fallback.
std::optional<Credentials> docker_credentials(const std::string& registry, const std::map<std::string, std::string>& env,
                                              ProcessRunner* runner, const std::string& repository = "");

}  // namespace hoist::registry
