#pragma once
// A real container registry (Distribution 2.8 from Debian's docker-registry) on a free 127.0.0.1 port, for tests of
// Hoist's registry client and image steps. Started by scripts/start-registry, stopped when the object dies.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/scripted_server.hpp"

namespace hoist::test {

class RegistryServer {
 public:
  enum class Mode {
    plain,           // http, no auth
    basic_auth,      // http + htpasswd basic auth (Distribution 2.8 allows basic auth without TLS)
    tls,             // https with a certificate from a CA generated for this server (ca_file())
    basic_auth_tls,  // both
    token,           // http + Bearer token auth; tokens come from the realm given to the constructor
  };

  // Starts the server; throws std::runtime_error with the server's log when it does not come up.
  explicit RegistryServer(Mode mode = Mode::plain);
  // Mode::token: the registry sends clients to `token_realm` (a token server the test runs) for tokens signed with
  // token_key() (RS256, token_cert() in the JWT's x5c header), issuer "hoist-test-issuer", audience
  // "hoist-test-registry".
  RegistryServer(Mode mode, const std::string& token_realm);
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;
  ~RegistryServer() = default;  // the ScriptedServer member stops the server

  Mode mode() const { return mode_; }
  const std::string& host() const { return host_; }  // "127.0.0.1:PORT"
  int port() const { return port_; }
  const std::string& scheme() const { return scheme_; }  // "http" or "https"
  std::string url() const { return scheme_ + "://" + host_; }
  // The CA that signed the server's certificate (PEM); empty unless the mode uses TLS.
  const std::filesystem::path& ca_file() const { return ca_file_; }
  // Basic-auth credentials, random per server; empty unless the mode uses auth.
  const std::string& username() const { return username_; }
  const std::string& password() const { return password_; }
  // Mode::token: the issuer's private key and certificate (PEM); empty otherwise.
  std::filesystem::path token_key() const { return server_.value("HOIST_TEST_REGISTRY_TOKEN_KEY"); }
  std::filesystem::path token_cert() const { return server_.value("HOIST_TEST_REGISTRY_TOKEN_CERT"); }

  // A namespace unique to this instance ("t" + 8 hex digits), so each test has its own repositories.
  const std::string& ns() const { return ns_; }
  // "NS/NAME": a repository path inside this instance's namespace.
  std::string repository(std::string_view name) const { return ns_ + "/" + std::string(name); }
  // "127.0.0.1:PORT/NS/NAME": an image reference without tag, as users write it.
  std::string image(std::string_view name) const { return host_ + "/" + repository(name); }

  // The server's directory (registry.env, registry.log, storage under registry-data/).
  const std::filesystem::path& dir() const { return server_.dir(); }
  std::filesystem::path env_file() const { return server_.env_file(); }
  std::string log() const { return server_.log(); }
  // The processes started for this server (the registry and its watchdog).
  const std::vector<int>& pids() const { return server_.pids(); }

 private:
  Mode mode_;
  ScriptedServer server_;
  std::string host_, scheme_, username_, password_, ns_;
  std::filesystem::path ca_file_;
  int port_ = 0;
};

}  // namespace hoist::test
