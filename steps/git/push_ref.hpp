#pragma once
// Creating one new ref on a remote (an approval record), never moving or overwriting one: the push names the ref as
// new, so the server refuses it when the ref exists, even when someone created it between our look and our push.
// Records that must never lose each other each get their own ref, so concurrent writers never contend.

#include <string>

#include "steps/git/fetch.hpp"
#include "steps/git/git_handles.hpp"

namespace hoist {

// Pushes COMMIT (hex id, in `repo`) as the new ref REF of the session's remote. Throws hoist::Error "REF already
// exists on URL" when it does, or the server's refusal.
void push_new_ref(git_repository* repo, RemoteSession& session, const std::string& commit, const std::string& ref);

}  // namespace hoist
