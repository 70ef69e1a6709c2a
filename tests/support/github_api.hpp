#pragma once
// GitHub as the forge tests see it: the GitHub test server (forge_server.hpp) behind Stoplight Prism in proxy mode
// with GitHub's official OpenAPI description (scripts/start-forge-api), so every request Hoist sends and every
// response it reads is validated against GitHub's published API; a violation is answered with an error status
// (the client then fails) and logged, and violations() lists what Prism's log says about them.

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/forge_server.hpp"
#include "tests/support/scripted_server.hpp"

namespace hoist::test {

class GitHubApi {
 public:
  // BARE_REPO: the test git server's repository that PROJECT ("acme/manifests") names.
  GitHubApi(const std::filesystem::path& bare_repo, const std::string& project);

  // Prism's address: what Hoist is given as forge_url.
  const std::string& url() const { return url_; }
  ForgeServer& server() { return server_; }
  const std::string& token() const { return server_.token(); }
  // Prism's validation errors (its log lines that report a violation); empty when every exchange conformed.
  std::vector<std::string> violations() const;
  std::string prism_log() const;

 private:
  ForgeServer server_;
  ScriptedServer prism_;
  std::string url_;
};

}  // namespace hoist::test
