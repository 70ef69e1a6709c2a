// See credentials.hpp.

#include "steps/registry/credentials.hpp"

#include "runner/util/strings.hpp"
#include "steps/http/base64.hpp"


#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "runner/util/errors.hpp"

namespace hoist::registry {
namespace {

using nlohmann::json;

// "https://Host:5000/v1/" -> "host:5000"; docker hub's many spellings -> "docker.io".
std::string normalize_key(std::string key) {
  if (auto p = key.find("://"); p != std::string::npos) key = key.substr(p + 3);
  if (auto p = key.find('/'); p != std::string::npos) key.resize(p);
  if (key == "index.docker.io" || key == "registry-1.docker.io") key = "docker.io";
  return key;
}

std::optional<Credentials> from_helper(const std::string& helper, const std::string& registry,
                                       const std::map<std::string, std::string>& env, ProcessRunner* runner) {
  if (!runner) throw Error("credential helper docker-credential-" + helper + " cannot be run here (no process runner)");
  ProcessSpec spec;
  spec.argv = {"docker-credential-" + helper, "get"};
  spec.env = env;
  spec.stdin_data = registry == "docker.io" ? "https://index.docker.io/v1/" : registry;
  spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string out;
  CancelToken never;
  ProcessResult result = runner->run(
      spec,
      [&](std::string_view line, OutputStream stream) {
        if (stream == OutputStream::out) out.append(line).append("\n");
      },
      never);
  if (!result.ok()) {
    if (out.find("credentials not found") != std::string::npos) return std::nullopt;
    throw Error("credential helper docker-credential-" + helper + " failed for " + registry +
                (result.timed_out ? " (timed out)" : " (exit code " + std::to_string(result.exit_code) + ")"));
  }
  try {
    json j = json::parse(out);
    Credentials c{j.value("Username", ""), j.value("Secret", ""), ""};
    if (c.username.empty() && c.password.empty()) return std::nullopt;
    if (c.username == "<token>") c = Credentials{"", "", c.password};  // docker's spelling of an identity token
    return c;
  } catch (const json::exception&) {
    throw Error("credential helper docker-credential-" + helper + " printed no valid JSON for " + registry);
  }
}

// How well an auths key names `registry` + `repository`: -1 not at all, 0 the whole registry, else the length of
// the repository prefix it is scoped to ("quay.io/org" for "org/app", as Podman matches them).
int key_match(const std::string& key, const std::string& registry, const std::string& repository) {
  if (normalize_key(key) != registry) return -1;
  if (key.find("://") != std::string::npos) return 0;  // Docker's URL spellings ("https://host/v1/") name a registry
  auto slash = key.find('/');
  if (slash == std::string::npos) return 0;
  std::string scope = key.substr(slash + 1);
  while (!scope.empty() && scope.back() == '/') scope.pop_back();
  if (scope.empty()) return 0;
  if (repository == scope || repository.rfind(scope + "/", 0) == 0) return static_cast<int>(scope.size());
  return -1;
}

std::optional<Credentials> from_file(const std::filesystem::path& file, const std::string& registry,
                                     const std::string& repository, const std::map<std::string, std::string>& env,
                                     ProcessRunner* runner) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  json config;
  try {
    config = json::parse(in);
  } catch (const json::exception&) {
    throw InputError(file.string() + ": not valid JSON");
  }
  if (!config.is_object()) throw InputError(file.string() + ": not a JSON object");

  if (auto helpers = config.find("credHelpers"); helpers != config.end() && helpers->is_object()) {
    for (const auto& [key, value] : helpers->items())
      if (normalize_key(key) == registry && value.is_string()) return from_helper(value.get<std::string>(), registry, env, runner);
  }
  if (auto store = config.find("credsStore"); store != config.end() && store->is_string() && !store->get<std::string>().empty()) {
    if (auto c = from_helper(store->get<std::string>(), registry, env, runner)) return c;
  }
  if (auto auths = config.find("auths"); auths != config.end() && auths->is_object()) {
    // The entry scoped to the longest prefix of the repository wins; a registry-wide one is the fallback.
    int best = -1;
    std::string best_key;
    for (const auto& [key, entry] : auths->items()) {
      int score = entry.is_object() ? key_match(key, registry, repository) : -1;
      if (score > best) {
        best = score;
        best_key = key;
      }
    }
    if (best >= 0) {
      const std::string& key = best_key;
      const json& entry = (*auths)[key];
      std::string identity = entry.value("identitytoken", "");
      if (auto a = entry.find("auth"); a != entry.end() && a->is_string() && !a->get<std::string>().empty()) {
        std::string decoded = base64_decode(a->get<std::string>());
        auto colon = decoded.find(':');
        if (colon == std::string::npos) throw InputError(file.string() + ": the auth entry for " + key + " is not base64 of user:password");
        return Credentials{decoded.substr(0, colon), decoded.substr(colon + 1), identity};
      }
      std::string user = entry.value("username", ""), pass = entry.value("password", "");
      if (!user.empty() || !pass.empty() || !identity.empty()) return Credentials{user, pass, identity};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Credentials> docker_credentials(const std::string& registry, const std::map<std::string, std::string>& env,
                                              ProcessRunner* runner, const std::string& repository) {
  std::string key = normalize_key(registry);
  std::vector<std::filesystem::path> files;
  if (auto f = value_or_empty(env, "REGISTRY_AUTH_FILE"); !f.empty()) files.emplace_back(f);
  // Podman and Skopeo's own files, where they write them (`podman login`), before Docker's.
  if (auto run = value_or_empty(env, "XDG_RUNTIME_DIR"); !run.empty())
    files.push_back(std::filesystem::path(run) / "containers" / "auth.json");
  if (auto config = value_or_empty(env, "XDG_CONFIG_HOME"); !config.empty())
    files.push_back(std::filesystem::path(config) / "containers" / "auth.json");
  else if (auto home = value_or_empty(env, "HOME"); !home.empty())
    files.push_back(std::filesystem::path(home) / ".config" / "containers" / "auth.json");
  if (auto d = value_or_empty(env, "DOCKER_CONFIG"); !d.empty())
    files.push_back(std::filesystem::path(d) / "config.json");
  else if (auto home = value_or_empty(env, "HOME"); !home.empty())
    files.push_back(std::filesystem::path(home) / ".docker" / "config.json");
  for (const auto& file : files)
    if (auto c = from_file(file, key, repository, env, runner)) return c;
  return std::nullopt;
}

}  // namespace hoist::registry
