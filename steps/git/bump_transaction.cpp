// See bump_transaction.hpp for why the loop re-applies the edit.

#include "steps/git/bump_transaction.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>

#include "runner/util/secrets.hpp"
#include "runner/util/url_userinfo.hpp"
#include "steps/git/backoff.hpp"
#include "steps/git/bare_mirror.hpp"
#include "steps/git/libgit2.hpp"
#include "steps/git/push.hpp"
#include "steps/git/unified_diff.hpp"

namespace hoist {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How many first-parent commits lead from OLD to NOW (counted up to 64; more is "many"); 0 when it cannot be told.
long long commits_between(git_repository* repo, const std::string& old, const std::string& now) {
  git_oid from, to;
  if (git_oid_fromstr(&from, old.c_str()) < 0 || git_oid_fromstr(&to, now.c_str()) < 0) return 0;
  auto walk = git_make<git_revwalk>("cannot walk history", git_revwalk_new, repo);
  git_check(git_revwalk_simplify_first_parent(walk.get()), "cannot walk history");
  git_check(git_revwalk_push(walk.get(), &to), "cannot walk history");
  if (git_revwalk_hide(walk.get(), &from) < 0) return 0;  // not in the mirror: nothing to say
  long long n = 0;
  git_oid oid;
  while (n < 64 && git_revwalk_next(&oid, walk.get()) == 0) ++n;
  return n;
}

constexpr int kTransientRetries = 3;  // transfer failures in a row retried before giving up

std::string seconds_text(milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

void check_request(const BumpRequest& r) {
  if (r.repo.empty()) throw InputError("bump: no repository given");
  if (r.branch.empty()) throw InputError("bump: no branch given");
  if (r.files.empty()) throw InputError("bump: no file given");
  if (r.timeout.count() < 1) throw InputError("bump: the timeout must be positive");
  if (!r.plan && r.message.empty() && !r.message_fn) throw InputError("bump: the commit message is empty");
  if (git_reference_is_valid_name(("refs/heads/" + r.branch).c_str()) != 1)
    throw InputError("bump: invalid branch name '" + r.branch + "'");
  if (!r.push_branch.empty() && !is_replaceable_branch(r.push_branch))
    throw InputError("bump: '" + r.push_branch + "' is not a branch Hoist may replace (only " +
                     std::string(kReplaceableBranches) + "...)");
}

class Transaction {
 public:
  Transaction(const BumpRequest& request, const EditFn& edit, const BumpEnv& env)
      : request_(request), edit_(edit), env_(env) {}

  BumpResult run() {
    check_request(request_);
    for (const auto& f : request_.files) files_.push_back(normalize_repo_path(f));
    std::sort(files_.begin(), files_.end());
    files_.erase(std::unique(files_.begin(), files_.end()), files_.end());

    Credentials creds = request_.creds;
    RemoteSpec remote = parse_remote(request_.repo, creds, [&](std::string_view w) { log("warning: " + std::string(w)); });
    if (creds.password) masker_.add(*creds.password);
    if (auto it = env_.env.find("HOIST_GIT_PASSWORD"); it != env_.env.end()) masker_.add(it->second);
    if (request_.ca_file) use_git_ca_file(*request_.ca_file);

    std::optional<std::string> cache_dir = request_.cache_dir;
    if (!cache_dir) {
      if (auto it = env_.env.find("HOIST_CACHE"); it != env_.env.end() && !it->second.empty()) cache_dir = it->second;
    }
    BareMirror mirror(remote.url, cache_dir, [&](std::string_view w) { log("warning: " + std::string(w)); });
    CredentialProvider provider(remote, creds, env_.env, env_.processes, env_.cancel);
    RemoteSession session{remote, provider, env_.cancel, [&](std::string_view line) { log(line); }, {}};

    BumpResult result;
    result.mirror_path = mirror.path().string();
    check_cancel();
    const Clock::time_point deadline = Clock::now() + request_.timeout;
    Backoff backoff(milliseconds(env_.backoff_base_ms));

    // The policy file at the default branch's tip, and the precondition of every push when that branch is not the
    // bump's own (the push then checks, from the ref advertisement it gets anyway, that it has not moved).
    std::optional<std::string> policy;
    std::optional<RefAt> default_at;
    auto read_policy = [&](const std::string& default_branch, const std::string& default_tip) {
      default_at.reset();
      policy.reset();
      if (default_branch.empty()) return;
      if (default_branch != request_.branch) default_at = RefAt{"refs/heads/" + default_branch, default_tip};
      policy = read_files(mirror.repo(), default_tip, {request_.policy_file}).at(request_.policy_file);
    };
    const bool with_policy = !request_.policy_file.empty();
    // Warm path: a cached mirror already holds a tip of the branch. Build on it and push at once; most of the time
    // nobody pushed since, and the bump costs one round trip. When it is stale the push is refused, and we fetch.
    std::string tip;
    bool optimistic = false;
    if (!request_.plan && request_.push_branch.empty() && mirror.cached()) {
      if (auto cached = local_tip(mirror.repo())) tip = *cached, optimistic = true;
      if (optimistic && with_policy) {  // the policy as last fetched; none cached yet: fetch
        if (auto def = default_tracking_tip(mirror.repo()))
          read_policy(def->first, def->second);
        else
          optimistic = false;
      }
    }
    // A loaded server sometimes drops a request ("unexpected EOF", a reset connection; seen with 64 contenders on
    // one lighttpd): such a transfer failure is retried after a wait, up to kTransientRetries times in a row and
    // never past the deadline. Authentication, certificate and cancel errors fail at once.
    int transient_in_a_row = 0;
    auto wait_or_fail = [&](milliseconds wait, const std::string& why) {
      if (Clock::now() + wait >= deadline)
        throw Error("branch '" + request_.branch + "' of " + remote.display + " kept moving: gave up after " +
                    std::to_string(result.attempts) + " attempts in " + seconds_text(request_.timeout) +
                    " (the timeout; last refusal: " + why + ")");
      if (env_.cancel ? env_.cancel->sleep_for(wait) : (std::this_thread::sleep_for(wait), false))
        throw Error("cancelled", ExitCode::interrupted);
    };
    auto transient = [&](const GitError& e) {
      const int code = e.git_code();
      return code != GIT_EAUTH && code != GIT_ECERTIFICATE && code != GIT_EUSER &&
             ++transient_in_a_row <= kTransientRetries;
    };
    auto fetch = [&] {
      for (;;) {
        try {
          FetchResult fetched = fetch_branch(mirror.repo(), session, request_.branch, with_policy);
          transient_in_a_row = 0;
          result.fetches.push_back(fetched.stats);
          if (with_policy) read_policy(fetched.default_branch, fetched.default_tip);
          return fetched.tip;
        } catch (const GitError& e) {
          if (!transient(e)) throw;
          const milliseconds wait = backoff.next(milliseconds(0));
          log("fetch failed (" + mask(e.what()) + "); trying again in " + std::to_string(wait.count()) + " ms");
          wait_or_fail(wait, e.what());
        }
      }
    };
    if (!optimistic) tip = fetch();
    result.first_tip = tip;
    FileSnapshot snapshot;
    snapshot.first_commit = tip;

    // `round` counts the rounds since `snapshot.first` was read: the edit judges "superseded" against that. A
    // refused optimistic round does not count (what the cache held says nothing about when this bump started).
    int round = 0;
    Clock::time_point round_start = Clock::now();  // when the current round's fetch began
    for (int attempt = 1;; ++attempt) {
      check_cancel();
      ++round;
      result.attempts = attempt;
      result.old_tip = tip;
      snapshot.commit = tip;
      snapshot.attempt = round;
      snapshot.files = read_files(mirror.repo(), tip, files_);
      snapshot.policy = policy;
      if (round == 1) {
        snapshot.first = snapshot.files;
        snapshot.first_commit = tip;
        result.first_tip = tip;
      }

      std::map<std::string, std::string> changes = changed_files(edit_(snapshot), snapshot.files);
      result.contents.clear();
      result.diffs.clear();
      for (const auto& [path, content] : changes) {
        const auto& old = snapshot.files.at(path);
        result.contents[path] = {old.value_or(""), content};
        result.diffs[path] = unified_diff(path, old, content);
      }
      if (changes.empty() && optimistic) {  // nothing to do on the cached tip: look at the real one
        optimistic = false;
        std::string now = fetch();
        if (now != tip) {
          tip = now;
          round = 0;
          continue;
        }
      }
      if (changes.empty()) {
        log("nothing to change on branch '" + request_.branch + "' of " + remote.display);
        result.changed = false;
        result.commit = tip;
        return result;
      }
      result.changed = true;
      if (request_.inspect) request_.inspect(mirror.repo(), tip, changes);
      if (request_.plan) return result;

      const std::string message = request_.message_fn ? request_.message_fn() : request_.message;
      if (message.empty()) throw InputError("bump: the commit message is empty");
      std::string commit = commit_files(mirror.repo(), tip, changes, request_.author, request_.committer, message,
                                        request_.sign);
      if (env_.before_push) env_.before_push(attempt, commit);
      check_cancel();
      log("pushing " + commit.substr(0, 12) + " to branch '" + request_.branch + "' of " + remote.display);
      if (!request_.push_branch.empty()) {  // Hoist's own branch: replaced, nobody races for it
        log("pushing " + commit.substr(0, 12) + " to branch '" + request_.push_branch + "' of " + remote.display);
        push_replacing(mirror.repo(), session, commit, request_.push_branch);
        result.commit = commit;
        return result;
      }
      PushOutcome pushed;
      bool failed_transfer = false;  // the push may or may not have landed: the next round's fetch tells
      try {
        pushed = push_commit(mirror.repo(), session, commit, request_.branch, default_at);
        transient_in_a_row = 0;
      } catch (const GitError& e) {
        if (!transient(e)) throw;
        pushed.reason = e.what();
        failed_transfer = true;
      }
      if (failed_transfer) {
        const milliseconds wait = backoff.next(milliseconds(0));
        log("push failed (" + mask(pushed.reason) + "); fetching and editing again in " + std::to_string(wait.count()) +
            " ms");
        wait_or_fail(wait, pushed.reason);
        optimistic = false;
        round_start = Clock::now();
        tip = fetch();  // when the push did land, the edit now finds nothing to change
        continue;
      }
      if (pushed.accepted) {
        git_oid oid;
        git_oid_fromstr(&oid, commit.c_str());
        git_make<git_reference>("cannot record the pushed commit", git_reference_create, mirror.repo(),
                                tracking_ref(request_.branch).c_str(), &oid, 1, "hoist: push");
        result.commit = commit;
        return result;
      }

      if (pushed.other_ref_moved) {  // the policy changed since it was read: read it again, then edit again
        log("the default branch moved (" + pushed.reason + "); fetching it again");
        wait_or_fail(milliseconds(0), pushed.reason);
        if (optimistic) round = 0;
        optimistic = false;
        round_start = Clock::now();
        tip = fetch();
        continue;
      }
      // Rejected. Only a branch that really moved is worth another round: a refusal for another reason (a hook, a
      // protected branch) fails now, and a "moved" refusal is confirmed by fetching below.
      if (!pushed.looks_like_race)
        throw Error("push to branch '" + request_.branch + "' of " + remote.display + " rejected: " + pushed.reason);
      if (optimistic) {  // the cache was behind: fetch now, no need to wait
        optimistic = false;
        log("the cached tip " + tip.substr(0, 12) + " is behind the branch (" + pushed.reason + "); fetching it");
        std::string now = fetch();
        if (now == tip)
          throw Error("push to branch '" + request_.branch + "' of " + remote.display + " rejected: " + pushed.reason);
        tip = now;
        round = 0;
        continue;
      }
      const milliseconds wait = backoff.next(std::chrono::duration_cast<milliseconds>(Clock::now() - round_start));
      if (Clock::now() + wait < deadline)
        log("push refused (" + pushed.reason + "); fetching the new tip and editing again in " +
            std::to_string(wait.count()) + " ms (attempt " + std::to_string(attempt + 1) + ", " +
            seconds_text(std::chrono::duration_cast<milliseconds>(deadline - Clock::now())) + " left)");
      wait_or_fail(wait, pushed.reason);
      round_start = Clock::now();
      std::string now = fetch();
      if (now == tip)
        throw Error("push to branch '" + request_.branch + "' of " + remote.display + " rejected: " + pushed.reason);
      backoff.landed(commits_between(mirror.repo(), tip, now));
      tip = now;
    }
  }

  void check_cancel() const {
    if (env_.cancel && env_.cancel->cancelled()) throw Error("cancelled", ExitCode::interrupted);
  }

  void log(std::string_view line) {
    if (env_.log) env_.log(masker_.mask(line));
  }
  std::string mask(std::string_view text) const { return masker_.mask(text); }

 private:
  // The tip the mirror holds from an earlier run, if any.
  std::optional<std::string> local_tip(git_repository* repo) const {
    git_oid oid;
    if (git_reference_name_to_id(&oid, repo, tracking_ref(request_.branch).c_str()) != 0) return std::nullopt;
    char hex[GIT_OID_HEXSZ + 1];
    git_oid_tostr(hex, sizeof hex, &oid);
    return std::string(hex);
  }

  // The edit's answer without the files it left as they were; a path not asked for is a bug of the caller.
  std::map<std::string, std::string> changed_files(std::map<std::string, std::string> edited,
                                                   const FileContents& current) {
    std::map<std::string, std::string> changes;
    for (auto& [path, content] : edited) {
      auto it = current.find(path);
      if (it == current.end()) it = current.find(normalize_repo_path(path));
      if (it == current.end()) throw Error("the edit returned '" + path + "', which is not one of the bump's files");
      if (it->second && *it->second == content) continue;
      changes[it->first] = std::move(content);
    }
    return changes;
  }

  const BumpRequest& request_;
  const EditFn& edit_;
  const BumpEnv& env_;
  std::vector<std::string> files_;
  SecretMasker masker_;
};

}  // namespace

BumpResult run_bump(const BumpRequest& request, const EditFn& edit, const BumpEnv& env) {
  Transaction t(request, edit, env);
  // Last line of defence: whatever library produced a message, no credential leaves in it.
  try {
    return t.run();
  } catch (const GitError& e) {
    throw GitError(redact_url_userinfo(t.mask(e.what())), e.git_code());
  } catch (const InputError& e) {
    throw InputError(redact_url_userinfo(t.mask(e.what())));
  } catch (const Error& e) {
    throw Error(redact_url_userinfo(t.mask(e.what())), e.code());
  }
}

}  // namespace hoist
