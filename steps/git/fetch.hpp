#pragma once
// Fetching one branch, and only that branch, into a bare repository through an anonymous remote (the URL never lands
// in a config file). The fetched tip is kept as refs/remotes/origin/BRANCH, which is also what the next fetch into a
// cached mirror offers the server as "have", so only new objects come over.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "runner/util/cancel.hpp"
#include "steps/git/credentials.hpp"
#include "steps/git/git_handles.hpp"
#include "steps/git/sideband_lines.hpp"

namespace hoist {

struct FetchStats {
  unsigned int total_objects = 0;     // objects in the pack the server sent
  unsigned int received_objects = 0;
  unsigned int local_objects = 0;     // deltas resolved against objects we already had
  size_t received_bytes = 0;
};

struct FetchResult {
  std::string tip;  // the branch's commit id on the server
  FetchStats stats;
  // With `with_default`: the remote's default branch (its HEAD) and its tip, "" when the remote names none.
  std::string default_branch;
  std::string default_tip;
};

// "refs/remotes/origin/BRANCH"
std::string tracking_ref(const std::string& branch);

// Shared by fetch and push: credentials, cancellation (from transfer progress), and remote messages to `log`.
struct RemoteSession {
  const RemoteSpec& remote;
  CredentialProvider& credentials;
  const CancelToken* cancel = nullptr;
  std::function<void(std::string_view)> log;
  // What the server said about each ref of the last push (push_update_reference): ref -> "" accepted, else why not.
  std::map<std::string, std::string> push_statuses;
  // The server's messages of the current transfer, buffered to whole lines.
  SidebandLines sideband = {};
  std::string proxy_url = {};  // what session_proxy_options() (steps/git/proxy.hpp) points at

  ~RemoteSession();  // logs what is left of the last transfer's messages; never throws
  // Callbacks with credentials, a progress callback that aborts on cancel, sideband messages to `log` line by line,
  // and push statuses into `push_statuses`. Starts a transfer: the rest of the previous one's messages is logged.
  // `payload` must stay `this`.
  git_remote_callbacks callbacks();
  // Ends a transfer: logs the rest of its messages (a last line without a line end).
  void end_transfer();
  // Turns a failed libgit2 call on the remote into the error to show: authentication, cancel, or libgit2's message.
  [[noreturn]] void fail(int rc, const std::string& what);
};

// For a local repository (a path or file:// URL) that does not exist, the message saying so; else nullopt.
std::optional<std::string> missing_local_repository(const RemoteSpec& remote);

// Fetches BRANCH of the remote into `repo`. Throws hoist::Error: "branch 'B' not found in URL", "authentication
// failed for URL", or libgit2's reason (credentials redacted). With `with_default`, the remote's default branch
// comes in the same request (one pack for both), and refs/remotes/origin/HEAD names its tracking ref
// (default_tracking_tip reads it back).
FetchResult fetch_branch(git_repository* repo, RemoteSession& session, const std::string& branch,
                         bool with_default = false);

// The default branch and its tip as the last fetch with `with_default` left them in `repo`; nullopt when none did.
std::optional<std::pair<std::string, std::string>> default_tracking_tip(git_repository* repo);

}  // namespace hoist
