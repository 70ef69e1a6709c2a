#pragma once
// The git checkout around a directory, for the built-in variables outside CI (runner/pipeline/builtins): HEAD's
// commit and branch, the user's git identity and the origin URL. The command line hands read_local_checkout to
// detect_builtins, so runner/pipeline/ does not depend on libgit2.

#include <optional>
#include <string>

#include "runner/pipeline/builtins.hpp"

namespace hoist {

// nullopt when neither `cwd` nor a directory above it is in a git repository. The branch is empty on a detached
// HEAD, the commit on an unborn branch, the origin URL without a remote "origin" (and as git has it: callers strip
// userinfo). Throws hoist::Error when the repository cannot be read.
std::optional<CheckoutFacts> read_local_checkout(const std::string& cwd);

}  // namespace hoist
