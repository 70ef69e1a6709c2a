#pragma once
// What one commit changes: its parents, the paths whose content differs from its (only) parent, and whether a
// commit is in a branch's history. For checking that a proposal branch's head is exactly the commit Hoist proposed
// (steps/gate/merge_request.hpp), whoever may have pushed to that branch since.

#include <string>
#include <vector>

#include "steps/git/git_handles.hpp"

namespace hoist {

struct CommitChange {
  std::vector<std::string> parents;  // hex ids, in order
  std::vector<std::string> paths;    // with one parent: every path added, removed or changed (modes too), sorted
};

// Throws GitError when COMMIT (hex id) cannot be read.
CommitChange commit_change(git_repository* repo, const std::string& commit);

// Whether ANCESTOR is DESCENDANT or in its history.
bool in_history(git_repository* repo, const std::string& ancestor, const std::string& descendant);

}  // namespace hoist
