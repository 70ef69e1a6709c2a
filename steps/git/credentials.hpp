#pragma once
// Credentials for the manifest repository, and the one place they are handed to libgit2: its credential callback.
// They never go into a URL, a git config, a log line or an error message. Order (DESIGN.md): explicit (the step's
// `username`/`password`), else HOIST_GIT_USERNAME / HOIST_GIT_PASSWORD, else `git credential fill` (git's own
// helpers), else for ssh URLs the ssh-agent or a key file.
//
//   RemoteSpec remote = parse_remote(request.repo, request.creds, warn);   // strips user:token@ out of the URL
//   CredentialProvider provider(remote, request.creds, env, processes, cancel);
//   git_remote_callbacks cbs = GIT_REMOTE_CALLBACKS_INIT;
//   provider.install(cbs);

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "runner/process/process.hpp"
#include "runner/util/cancel.hpp"
#include "steps/git/git_handles.hpp"

namespace hoist {

struct Credentials {
  std::optional<std::string> username;  // for a token alone, any non-empty user name works on most servers
  std::optional<std::string> password;  // password or token
  std::optional<std::string> ssh_key;   // private key file for ssh URLs (public key at ssh_key + ".pub" if present)
  std::optional<std::string> ssh_passphrase;
  bool empty() const { return !username && !password; }
};

// The repository to talk to, with any userinfo taken out of the URL.
struct RemoteSpec {
  std::string url;      // what libgit2 connects to: credential-free https/http/ssh/file URL or a local path
  std::string display;  // what messages show (the same, credential-free)
  bool is_ssh = false;  // ssh://, git+ssh:// or scp-like user@host:path
  bool is_http = false;
};

// Splits "https://user:token@host/x.git" into the URL "https://host/x.git" and credentials: when `creds` has none
// of its own, they become `creds`, and `warn` is told (without them) that credentials do not belong in the URL.
// ssh URLs keep their user ("git@host:x.git" is how ssh names the account, not a secret).
RemoteSpec parse_remote(const std::string& repo, Credentials& creds, const std::function<void(std::string_view)>& warn);

// Answers libgit2's credential callback from the sources above, each asked at most once per connection attempt, and
// fails the connection (instead of looping forever, as libgit2 would with the same wrong password) when the server
// refuses what it got. `auth_failed()` then tells the caller to report "authentication failed for URL".
class CredentialProvider {
 public:
  CredentialProvider(RemoteSpec remote, Credentials explicit_creds, std::map<std::string, std::string> env,
                     ProcessRunner* processes, const CancelToken* cancel);
  CredentialProvider(const CredentialProvider&) = delete;
  CredentialProvider& operator=(const CredentialProvider&) = delete;

  // Sets credentials + payload in `callbacks`; `this` must outlive their use.
  void install(git_remote_callbacks& callbacks);
  // Call before each connect (fetch or push): the sources are tried afresh.
  void reset_attempt() { calls_ = 0; }
  bool auth_failed() const { return auth_failed_; }
  // "authentication failed for URL" or "no credentials for URL (...)": what to tell the user when auth_failed().
  const std::string& failure() const { return failure_; }
  // Which source answered last ("explicit", "environment", "git credential", "ssh-agent", "ssh key"), for logs.
  const std::string& source() const { return source_; }
  // The environment credentials (and proxies) are read from.
  const std::map<std::string, std::string>& env() const { return env_; }

  // Tells git's credential helpers whether what they gave worked (`git credential approve` / `reject`), as git does
  // after a transfer; nothing when the credentials came from elsewhere. Never throws.
  void tell_helpers(bool worked);

  // libgit2's git_credential_acquire_cb, with `payload` a CredentialProvider*.
  static int callback(git_credential** out, const char* url, const char* username_from_url, unsigned int allowed,
                      void* payload);

 private:
  int answer(git_credential** out, const char* username_from_url, unsigned int allowed);
  std::optional<std::pair<std::string, std::string>> userpass();
  std::optional<std::pair<std::string, std::string>> git_credential_fill();
  // protocol=, host=, path= lines of the remote for `git credential`; "" when it is not a URL.
  std::string credential_description() const;
  bool run_git_credential(const std::string& action, const std::string& input, std::string* out);

  RemoteSpec remote_;
  Credentials explicit_;
  std::map<std::string, std::string> env_;
  ProcessRunner* processes_;
  const CancelToken* cancel_;
  int calls_ = 0;
  bool auth_failed_ = false;
  std::string failure_;
  std::string source_;
  std::optional<std::optional<std::pair<std::string, std::string>>> helper_cache_;  // git credential fill, once
};

}  // namespace hoist
