#pragma once
// Pushing one commit as one ref, never forced (the refspec has no '+'): moving a branch forward (a bump), telling
// "the branch moved under us" apart from every other failure, or creating a new ref that must not exist yet (an
// approval record: the server's compare-and-swap from "no ref" refuses it when someone created it since we looked,
// so records that must never lose each other each get their own ref and concurrent writers never contend).
//
// libgit2 1.5 reports a moved branch in two different ways over smart HTTP:
//  - before sending anything: at connect it learns the server's tip; if our commit does not descend from it (the
//    usual case: someone pushed between our fetch and our push), git_remote_push fails with GIT_ENONFASTFORWARD
//    ("cannot push because a reference that you are trying to update on the remote contains commits that are not
//    present locally" / "cannot push non-fastforwardable reference"). The server is never asked.
//  - after sending: the server refuses the ref update (another push won between libgit2's connect and the server's
//    compare-and-swap of the ref: "failed to update ref", "cannot lock ref", "fetch first", "non-fast-forward",
//    GitLab's "incorrect old value provided", "stale info"). git_remote_push then *succeeds*; the refusal only
//    arrives through the push_update_reference callback's status message.
// Both come back here as PushOutcome::rejected with the reason; the caller confirms by fetching that the branch
// really moved before retrying. Anything else (network, authentication, a hook refusing the push) throws.

#include <optional>
#include <string>

#include "steps/git/fetch.hpp"

namespace hoist {

struct PushOutcome {
  bool accepted = false;
  std::string reason;  // why it was rejected, as the server or libgit2 said it
  bool looks_like_race = false;  // the reason is one of the known "the branch moved" messages
  bool other_ref_moved = false;  // push_commit's `unmoved` ref moved: nothing was sent
};

// True for the messages servers and libgit2 use when a ref moved since the pusher last looked.
bool is_race_message(const std::string& message);

// A ref of the remote and the id the pusher last saw it at.
struct RefAt {
  std::string ref;
  std::string id;
};

// Pushes COMMIT (hex id, in `repo`) to refs/heads/BRANCH of the session's remote. With `unmoved`, only while that
// other ref is still where the pusher saw it: the server's ref advertisement at connect says, so this costs no extra
// request; when it moved, nothing is sent and the outcome is a rejection with `other_ref_moved` (a bump that read
// its policy from the default branch fetches it again).
PushOutcome push_commit(git_repository* repo, RemoteSession& session, const std::string& commit,
                        const std::string& branch, const std::optional<RefAt>& unmoved = std::nullopt);

// Pushes COMMIT (hex id, in `repo`) as the new ref REF of the session's remote. Throws hoist::Error "REF already
// exists on URL" when it does, or the server's refusal.
void push_new_ref(git_repository* repo, RemoteSession& session, const std::string& commit, const std::string& ref);

}  // namespace hoist
