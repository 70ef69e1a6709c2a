#pragma once
// A real git smart-HTTP server (git http-backend behind lighttpd, basic auth) on a free 127.0.0.1 port, for tests of
// Hoist's manifest steps (bump, promote, approve, status); over HTTPS with a CA made for it (Scheme::https). Started by scripts/start-git-server, stopped when the
// object dies. Repositories are bare, live in the server's directory, and accept pushes.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/scripted_server.hpp"

namespace hoist::test {

using RepoFiles = std::map<std::string, std::string>;  // path in the repository -> content
using RepoSeed = std::map<std::string, RepoFiles>;     // branch -> the files of its first commit

class GitServer {
 public:
  enum class Scheme { http, https };
  // Starts the server; throws std::runtime_error with the server's log when it does not come up. With https, URLs
  // name the host "localhost" (libgit2's TLS matches the certificate by name, not by IP address) and ca_file() is
  // the CA that signed the server's certificate.
  explicit GitServer(Scheme scheme = Scheme::http);
  GitServer(const GitServer&) = delete;
  GitServer& operator=(const GitServer&) = delete;
  ~GitServer() = default;  // the ScriptedServer member stops the server

  // Creates the bare repository NAME.git with pushes enabled. Each seeded branch gets one commit holding exactly
  // its files (branches do not share history). HEAD, what a clone checks out, is `main` if seeded, else `master`,
  // else the first seeded branch; an unseeded repository is empty with HEAD -> main.
  void create_repo(const std::string& name, const RepoSeed& seed = {});
  // Adds one commit on BRANCH (created if missing) that writes FILES over the branch's tree; returns its id.
  // Works on the bare repository directly, as if someone else had pushed.
  std::string commit(const std::string& name, const std::string& branch, const RepoFiles& files,
                     const std::string& message = "test commit");

  // "http://127.0.0.1:PORT/NAME.git" (https://localhost:PORT/NAME.git): no credentials in it, ever.
  std::string url(std::string_view name) const { return base_url_ + "/" + std::string(name) + ".git"; }
  const std::string& base_url() const { return base_url_; }  // "http://127.0.0.1:PORT"
  const std::string& host() const { return host_; }           // "127.0.0.1:PORT" ("localhost:PORT")
  const std::string& ca_file() const { return ca_file_; }     // empty for http
  const std::string& username() const { return username_; }
  const std::string& password() const { return password_; }
  // Environment for a git process that should authenticate: a credential helper that answers with this server's
  // credentials, which travel in the environment only (never in argv, a URL or a config file).
  // Uses GIT_CONFIG_COUNT/KEY_0/VALUE_0.
  std::map<std::string, std::string> credential_env() const;

  // Inspection of the bare repository on disk, for assertions (not over HTTP).
  std::filesystem::path repo_path(std::string_view name) const;
  // The commit id BRANCH points at, or nullopt when there is no such branch.
  std::optional<std::string> head(const std::string& name, const std::string& branch) const;
  // The content of PATH at REF (branch, tag or commit), or nullopt when it does not exist there.
  std::optional<std::string> read_file(const std::string& name, const std::string& ref, const std::string& path) const;
  // The message of the commit REF names (trailers included), or "" when there is no such commit.
  std::string message(const std::string& name, const std::string& ref) const;

  const std::filesystem::path& dir() const { return server_.dir(); }
  std::filesystem::path env_file() const { return server_.env_file(); }
  std::string log() const { return server_.log(); }
  // The processes started for this server (lighttpd and its watchdog).
  const std::vector<int>& pids() const { return server_.pids(); }

 private:
  ScriptedServer server_;
  std::string host_, base_url_, username_, password_, ca_file_;
  std::filesystem::path repos_;
};

}  // namespace hoist::test
