// See push.hpp.

#include "steps/git/push.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

struct PushStatus {
  std::string ref;
  bool reported = false;
  std::string status;  // empty: accepted
};

int on_update_reference(const char* refname, const char* status, void* payload) {
  auto* s = static_cast<PushStatus*>(payload);
  if (s->ref == refname) {
    s->reported = true;
    s->status = status ? status : "";
    if (status && s->status.empty()) s->status = "rejected";
  }
  return 0;
}

}  // namespace

bool is_race_message(const std::string& message) {
  std::string m = message;
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::array<const char*, 9> needles = {
      "non-fast-forward", "non-fastforward", "fetch first",     "cannot lock ref",
      "failed to update ref", "incorrect old value", "stale info", "not present locally", "failed to lock"};
  return std::any_of(needles.begin(), needles.end(), [&](const char* n) { return m.find(n) != std::string::npos; });
}

PushOutcome push_commit(git_repository* repo, RemoteSession& session, const std::string& commit,
                        const std::string& branch) {
  const std::string dst = "refs/heads/" + branch;
  auto remote = git_make<git_remote>("cannot use " + session.remote.display, git_remote_create_anonymous, repo,
                                     session.remote.url.c_str());
  // The status callback needs its own payload; libgit2 passes the one payload to every callback, so the status
  // is routed through a second object that points back at the session.
  PushStatus status{dst, false, ""};
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks = session.callbacks();
  opts.callbacks.push_update_reference = [](const char* refname, const char* st, void* payload) {
    return on_update_reference(refname, st, static_cast<RemoteSession*>(payload)->push_status);
  };
  session.push_status = &status;
  opts.pb_parallelism = 1;

  // libgit2 pushes only from a reference, not from a bare commit id: name our commit with a private ref first.
  const std::string src = "refs/hoist/push/" + branch;
  git_oid oid;
  git_check(git_oid_fromstr(&oid, commit.c_str()), "invalid commit id '" + commit + "'");
  git_make<git_reference>("cannot name the commit to push", git_reference_create, repo, src.c_str(), &oid, 1,
                          "hoist: push");
  std::string refspec = src + ":" + dst;  // no '+': never forced
  char* specs[] = {refspec.data()};
  git_strarray refspecs{specs, 1};
  session.credentials.reset_attempt();
  int rc = git_remote_push(remote.get(), &refspecs, &opts);
  session.push_status = nullptr;

  PushOutcome outcome;
  if (rc < 0) {
    const git_error* e = git_error_last();
    std::string message = e && e->message ? e->message : "";
    if (rc == GIT_ENONFASTFORWARD || (!session.credentials.auth_failed() && is_race_message(message))) {
      outcome.reason = message.empty() ? "non-fast-forward" : message;
      outcome.looks_like_race = true;
      return outcome;
    }
    session.fail(rc, "cannot push to " + session.remote.display);
  }
  if (status.reported && !status.status.empty()) {
    outcome.reason = status.status;
    outcome.looks_like_race = is_race_message(status.status);
    return outcome;
  }
  outcome.accepted = true;
  return outcome;
}

}  // namespace hoist
