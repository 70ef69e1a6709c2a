// See bump_transaction.hpp for why the loop re-applies the edit.

#include "steps/git/bump_transaction.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "runner/util/secrets.hpp"
#include "runner/util/url_userinfo.hpp"
#include "steps/git/bare_mirror.hpp"
#include "steps/git/libgit2.hpp"
#include "steps/git/push.hpp"
#include "steps/git/unified_diff.hpp"

namespace hoist {
namespace {

std::chrono::milliseconds backoff(int attempt, unsigned int base_ms) {
  thread_local std::mt19937 rng{std::random_device{}()};
  unsigned long long cap = std::min<unsigned long long>(5000, static_cast<unsigned long long>(base_ms)
                                                                  << std::min(attempt - 1, 16));
  std::uniform_int_distribution<unsigned long long> jitter(cap / 2, std::max(cap / 2, cap));
  return std::chrono::milliseconds(jitter(rng));
}

void check_request(const BumpRequest& r) {
  if (r.repo.empty()) throw InputError("bump: no repository given");
  if (r.branch.empty()) throw InputError("bump: no branch given");
  if (r.files.empty()) throw InputError("bump: no file given");
  if (r.max_attempts < 1) throw InputError("bump: max_attempts must be at least 1");
  if (!r.plan && r.message.empty() && !r.message_fn) throw InputError("bump: the commit message is empty");
  if (git_reference_is_valid_name(("refs/heads/" + r.branch).c_str()) != 1)
    throw InputError("bump: invalid branch name '" + r.branch + "'");
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
    if (request_.ca_file) {
      libgit2_init();
      git_check(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, request_.ca_file->c_str(), nullptr),
                "cannot use the CA file " + *request_.ca_file);
    }

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
    FetchResult fetched = fetch_branch(mirror.repo(), session, request_.branch);
    result.fetches.push_back(fetched.stats);
    std::string tip = fetched.tip;
    result.first_tip = tip;
    FileSnapshot snapshot;
    snapshot.first_commit = tip;

    for (int attempt = 1;; ++attempt) {
      check_cancel();
      result.attempts = attempt;
      result.old_tip = tip;
      snapshot.commit = tip;
      snapshot.attempt = attempt;
      snapshot.files = read_files(mirror.repo(), tip, files_);
      if (attempt == 1) snapshot.first = snapshot.files;

      std::map<std::string, std::string> changes = changed_files(edit_(snapshot), snapshot.files);
      result.contents.clear();
      result.diffs.clear();
      for (const auto& [path, content] : changes) {
        const auto& old = snapshot.files.at(path);
        result.contents[path] = {old.value_or(""), content};
        result.diffs[path] = unified_diff(path, old, content);
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
      std::string commit = commit_files(mirror.repo(), tip, changes, request_.author, request_.committer, message);
      if (env_.before_push) env_.before_push(attempt, commit);
      check_cancel();
      log("pushing " + commit.substr(0, 12) + " to branch '" + request_.branch + "' of " + remote.display);
      PushOutcome pushed = push_commit(mirror.repo(), session, commit, request_.branch);
      if (pushed.accepted) {
        git_oid oid;
        git_oid_fromstr(&oid, commit.c_str());
        git_make<git_reference>("cannot record the pushed commit", git_reference_create, mirror.repo(),
                                tracking_ref(request_.branch).c_str(), &oid, 1, "hoist: push");
        result.commit = commit;
        return result;
      }

      // Rejected. Only a branch that really moved is worth another round: a refusal for another reason (a hook, a
      // protected branch) fails now, and a "moved" refusal is confirmed by fetching below.
      if (!pushed.looks_like_race)
        throw Error("push to branch '" + request_.branch + "' of " + remote.display + " rejected: " + pushed.reason);
      if (attempt >= request_.max_attempts)
        throw Error("branch '" + request_.branch + "' of " + remote.display + " kept moving: gave up after " +
                    std::to_string(attempt) + " attempts (last refusal: " + pushed.reason + ")");
      auto wait = backoff(attempt, env_.backoff_base_ms);
      log("push refused (" + pushed.reason + "); fetching the new tip and editing again in " +
          std::to_string(wait.count()) + " ms (attempt " + std::to_string(attempt + 1) + " of " +
          std::to_string(request_.max_attempts) + ")");
      if (env_.cancel ? env_.cancel->sleep_for(wait) : (std::this_thread::sleep_for(wait), false))
        throw Error("cancelled", ExitCode::interrupted);
      fetched = fetch_branch(mirror.repo(), session, request_.branch);
      result.fetches.push_back(fetched.stats);
      if (fetched.tip == tip)
        throw Error("push to branch '" + request_.branch + "' of " + remote.display + " rejected: " + pushed.reason);
      tip = fetched.tip;
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
