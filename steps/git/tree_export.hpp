#pragma once
// Writes the files of one commit's tree into a directory, so that programs that read a directory (kustomize, helm)
// can render the manifest repository as it is at that commit. Straight from the object database of the bare
// mirror: no working tree, no checkout state. Symbolic links and submodules are skipped (a renderer following a
// link out of the tree is not what a plan should depend on).

#include <filesystem>
#include <string>

#include "steps/git/git_handles.hpp"

namespace hoist {

// Throws hoist::Error (GitError) when the commit or a blob cannot be read, or a file cannot be written.
void export_tree(git_repository* repo, const std::string& commit, const std::filesystem::path& dir);

}  // namespace hoist
