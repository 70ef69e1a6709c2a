#pragma once
// Whether one commit is an ancestor of another in a git checkout on disk (the CI job's checkout of the application
// repository), asked of `git merge-base --is-ancestor`. The answer is "cannot tell" rather than "no" when the
// directory is not a checkout or either commit is missing from it (a shallow clone), so callers can fall back to
// weaker evidence.

#include <map>
#include <optional>
#include <string>

#include "runner/process/process.hpp"

namespace hoist {

// true: ANCESTOR is an ancestor of (or the same commit as) DESCENDANT in the checkout around DIR (empty: the current
// directory); false: it is not, and both commits are there; nullopt: git cannot tell (no checkout, a commit is not
// in it, git is not installed).
std::optional<bool> git_is_ancestor(ProcessRunner& processes, const std::map<std::string, std::string>& env,
                                    const std::string& dir, const std::string& ancestor,
                                    const std::string& descendant);

}  // namespace hoist
