// See commit_change.hpp.
#include "steps/git/commit_change.hpp"

#include <algorithm>

#include "steps/git/libgit2.hpp"

namespace hoist {

CommitChange commit_change(git_repository* repo, const std::string& commit) {
  const git_oid oid = parse_oid(commit);
  auto c = git_make<git_commit>("cannot read commit " + commit, git_commit_lookup, repo, &oid);
  CommitChange out;
  for (unsigned i = 0; i < git_commit_parentcount(c.get()); ++i)
    out.parents.push_back(git_oid_tostr_s(git_commit_parent_id(c.get(), i)));
  if (out.parents.size() != 1) return out;
  auto tree = git_make<git_tree>("cannot read a commit's tree", git_commit_tree, c.get());
  auto parent = git_make<git_commit>("cannot read the parent of " + commit, git_commit_parent, c.get(), 0u);
  auto parent_tree = git_make<git_tree>("cannot read a commit's tree", git_commit_tree, parent.get());
  auto diff = git_make<git_diff>("cannot compare " + commit + " with its parent", git_diff_tree_to_tree, repo,
                                 parent_tree.get(), tree.get(), nullptr);
  for (size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    for (const char* p : {d->old_file.path, d->new_file.path})
      if (p && std::find(out.paths.begin(), out.paths.end(), p) == out.paths.end()) out.paths.push_back(p);
  }
  std::sort(out.paths.begin(), out.paths.end());
  return out;
}

bool in_history(git_repository* repo, const std::string& ancestor, const std::string& descendant) {
  if (ancestor == descendant) return true;
  const git_oid a = parse_oid(ancestor), d = parse_oid(descendant);
  return git_check(git_graph_descendant_of(repo, &d, &a), "cannot compare the history of " + descendant) == 1;
}

}  // namespace hoist
