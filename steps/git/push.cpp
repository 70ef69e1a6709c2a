// See push.hpp.

#include "steps/git/push.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "steps/git/libgit2.hpp"
#include "steps/git/proxy.hpp"
#include "steps/git/remote_refs.hpp"

namespace hoist {

bool is_race_message(const std::string& message) {
  std::string m = message;
  std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::array<const char*, 9> needles = {
      "non-fast-forward", "non-fastforward", "fetch first",     "cannot lock ref",
      "failed to update ref", "incorrect old value", "stale info", "not present locally", "failed to lock"};
  return std::any_of(needles.begin(), needles.end(), [&](const char* n) { return m.find(n) != std::string::npos; });
}

namespace {

constexpr int kOtherRefMoved = 1;  // push_refspec's "not sent": above libgit2's codes (0 or negative)

// The one push: names COMMIT locally as SRC (libgit2 pushes only from a reference), pushes SRC:DST without '+', and
// returns libgit2's result code; the server's word on DST, if any, is in session.push_statuses.
int push_refspec(git_repository* repo, RemoteSession& session, const std::string& commit, const std::string& src,
                 const std::string& dst, const std::optional<RefAt>& unmoved = std::nullopt) {
  git_oid oid;
  git_check(git_oid_fromstr(&oid, commit.c_str()), "invalid commit id '" + commit + "'");
  git_make<git_reference>("cannot name the commit to push", git_reference_create, repo, src.c_str(), &oid, 1,
                          "hoist: push");
  auto remote = git_make<git_remote>("cannot use " + session.remote.display, git_remote_create_anonymous, repo,
                                     session.remote.url.c_str());
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks = session.callbacks();
  opts.proxy_opts = session_proxy_options(session);
  opts.pb_parallelism = 1;
  session.push_statuses.clear();
  std::string refspec = src + ":" + dst;  // no '+': never forced
  char* specs[] = {refspec.data()};
  git_strarray refspecs{specs, 1};
  session.credentials.reset_attempt();
  if (unmoved) {  // connect first and read the advertisement; git_remote_push goes on over the same connection
    if (int rc = git_remote_connect(remote.get(), GIT_DIRECTION_PUSH, &opts.callbacks, &opts.proxy_opts, nullptr);
        rc < 0)
      return rc;
    const git_remote_head** heads = nullptr;
    size_t count = 0;
    if (int rc = git_remote_ls(&heads, &count, remote.get()); rc < 0) return rc;
    std::string seen;
    for (size_t i = 0; i < count; ++i)
      if (unmoved->ref == heads[i]->name) seen = to_hex(heads[i]->oid);
    if (seen != unmoved->id) {
      git_remote_disconnect(remote.get());
      session.end_transfer();
      return kOtherRefMoved;
    }
  }
  const int rc = git_remote_push(remote.get(), &refspecs, &opts);
  session.end_transfer();
  return rc;
}

std::string refusal(const RemoteSession& session, const std::string& dst) {
  auto it = session.push_statuses.find(dst);
  return it == session.push_statuses.end() ? "" : it->second;
}

}  // namespace

PushOutcome push_commit(git_repository* repo, RemoteSession& session, const std::string& commit,
                        const std::string& branch, const std::optional<RefAt>& unmoved) {
  const std::string dst = "refs/heads/" + branch;
  const int rc = push_refspec(repo, session, commit, "refs/hoist/push/" + branch, dst, unmoved);
  PushOutcome outcome;
  if (rc == kOtherRefMoved) {
    outcome.reason = unmoved->ref + " moved since it was fetched";
    outcome.other_ref_moved = true;
    return outcome;
  }
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
  if (std::string why = refusal(session, dst); !why.empty()) {
    outcome.reason = why;
    outcome.looks_like_race = is_race_message(why);
    return outcome;
  }
  session.credentials.tell_helpers(true);  // git's helpers learn that what they gave works
  outcome.accepted = true;
  return outcome;
}

void push_new_ref(git_repository* repo, RemoteSession& session, const std::string& commit, const std::string& ref) {
  if (git_reference_is_valid_name(ref.c_str()) != 1) throw InputError("invalid ref name '" + ref + "'");
  // libgit2 tells the server the old value it saw (zero for a new ref); the server's compare-and-swap then refuses
  // a ref that appeared since. Looking first only gives the clearer message.
  if (list_remote(repo, session).refs.count(ref)) throw Error(ref + " already exists on " + session.remote.display);
  const int rc = push_refspec(repo, session, commit, ref, ref);
  if (rc < 0) {
    if (rc == GIT_ENONFASTFORWARD) throw Error(ref + " already exists on " + session.remote.display);
    session.fail(rc, "cannot push to " + session.remote.display);
  }
  if (std::string why = refusal(session, ref); !why.empty())
    throw Error("push of " + ref + " to " + session.remote.display + " rejected: " + why);
}

}  // namespace hoist
