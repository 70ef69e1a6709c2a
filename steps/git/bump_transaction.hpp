#pragma once
// One manifest-repository bump as a transaction: fetch one branch, read some files at its tip, let the caller's edit
// function say what they should become, commit that on top of the tip (no working tree), and push without force.
//
// Why the retry loop re-runs the edit instead of rebasing: when another pipeline pushed to the branch between our
// fetch and our push, our commit no longer descends from the tip and the push is refused. A textual rebase of our
// commit could silently undo theirs (both touched the same line) or succeed when it should not (they already set a
// newer tag). Instead the edit itself is the unit of work: fetch the new tip, call the edit function again on the
// files as they are now, commit, push. The edit function sees what it saw the first time (FileSnapshot::first) and
// decides: usually it applies the same change to the new content (another service's line changed: both land); if
// the very value it sets was changed by the other pusher, it throws ("superseded by <commit>") and nothing of ours
// is pushed. Rejections are retried after a wait drawn with decorrelated jitter from a base that is the time one round
// was seen to take (so a herd of CI jobs spreads out at the pace of the server at hand), until the timeout; a
// rejection while the branch did not move, and every other error, fails at once. With a cached mirror the first
// round builds on the tip the cache holds and pushes without fetching (one round trip when nobody pushed since);
// a refusal then fetches at once, and the rounds start over from the fetched tip.
//
//   BumpRequest req{.repo = url, .branch = "qa", .files = {"api/qa.values.yaml"}, ...};
//   BumpResult r = run_bump(req, [](const FileSnapshot& s) {
//     return std::map<std::string, std::string>{{"api/qa.values.yaml", set_tag(*s.files.at("api/qa.values.yaml"))}};
//   }, {.env = current_environment(), .processes = &runner, .cancel = &token, .log = print});

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/process/process.hpp"
#include "runner/util/cancel.hpp"
#include "steps/git/commit_files.hpp"
#include "steps/git/credentials.hpp"
#include "steps/git/fetch.hpp"

namespace hoist {

using FileContents = std::map<std::string, std::optional<std::string>>;  // path -> content, nullopt: no such file

// What the edit function is given, on every attempt.
struct FileSnapshot {
  std::string commit;        // the branch tip the contents were read at
  FileContents files;        // every requested file at `commit`
  int attempt = 1;           // 1 the first time, 2 after the first rejected push, ...
  std::string first_commit;  // the tip read on attempt 1
  FileContents first;        // the files at `first_commit`: what the edit was first computed against
  // BumpRequest::policy_file at the tip of the remote's default branch as last fetched; nullopt when the file or
  // the default branch is missing (or no policy_file was asked for).
  std::optional<std::string> policy;
};

// Returns the new contents of the files to change; a file left out, or given its current content, is not changed.
// Only paths of BumpRequest::files may be returned. Throws hoist::Error to stop the bump (nothing is pushed).
using EditFn = std::function<std::map<std::string, std::string>(const FileSnapshot& snapshot)>;

struct BumpRequest {
  std::string repo;                 // https/http/ssh/file URL or local path; user:token@ in it is stripped (warning)
  std::string branch;
  std::vector<std::string> files;   // paths in the repository
  Credentials creds;                // explicit; else HOIST_GIT_USERNAME/PASSWORD, git credential fill, ssh-agent
  Signature author;
  Signature committer;
  std::string message;              // see append_trailers() in trailers.hpp
  // When set, called after each attempt's edit and before its commit: the message may then describe what that
  // attempt changed. `message` is ignored.
  std::function<std::string()> message_fn;
  CommitSigner sign;                // when set, each round's commit is signed (made again, signed again, per round)
  std::optional<std::string> cache_dir;  // else $HOIST_CACHE from BumpEnv::env; else a temporary repository
  std::optional<std::string> ca_file;    // extra CA certificates (PEM) for https
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  // give up retrying a moving branch after this
  bool plan = false;                // fetch and edit, return the diffs, push nothing
  // A file of the remote's default branch every attempt's edit sees (FileSnapshot::policy): hoist.yaml, which says
  // which files are gated. It comes in the bump's own fetch (one request for both branches, kept in the cache);
  // the warm path reads the cached one and pushes only while the default branch has not moved since.
  std::string policy_file;
  // When set, called after each attempt's edit with the tip and the changed files, before anything is committed
  // (in plan mode too); what it throws stops the bump, nothing pushed. steps/render/preview.hpp renders with it.
  std::function<void(git_repository* repo, const std::string& tip, const std::map<std::string, std::string>& changes)>
      inspect;
};

struct BumpResult {
  bool changed = false;      // false: the edit changed nothing, no commit was made
  std::string commit;        // the pushed commit; the tip when nothing changed; empty in plan mode
  std::string old_tip;       // the tip our commit went on top of (the last one fetched)
  std::string first_tip;     // the tip the first attempt read
  int attempts = 0;          // edit/commit/push rounds
  std::map<std::string, std::pair<std::string, std::string>> contents;  // changed path -> (old, new); old "" if new
  std::map<std::string, std::string> diffs;  // changed path -> unified diff (git style)
  std::vector<FetchStats> fetches;           // one per fetch, in order
  std::string mirror_path;                   // the bare repository used (removed afterwards unless cached)
};

// The outside world of a bump.
struct BumpEnv {
  std::map<std::string, std::string> env;  // HOIST_GIT_USERNAME/PASSWORD, HOIST_CACHE; env of `git credential`
  ProcessRunner* processes = nullptr;      // for `git credential fill`; none: that source is skipped
  const CancelToken* cancel = nullptr;
  std::function<void(std::string_view line)> log;  // progress and warnings; never carries credentials
  // Called after the commit of each attempt is made, just before it is pushed (tests move the branch here).
  std::function<void(int attempt, const std::string& commit)> before_push;
  unsigned int backoff_base_ms = 50;  // the least base of the retry waits (else the time one round took)
};

// Throws hoist::Error: "branch 'B' not found in URL", "authentication failed for URL", "push to URL rejected: ...",
// "branch 'B' of URL kept moving: gave up after N attempts in T", whatever the edit function throws, or InputError for a
// bad request. Messages and log lines never contain credentials.
BumpResult run_bump(const BumpRequest& request, const EditFn& edit, const BumpEnv& env);

}  // namespace hoist
