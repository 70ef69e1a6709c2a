// See file_history.hpp.

#include "steps/git/file_history.hpp"


#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

// The blob id of PATH in COMMIT's tree; nullopt when absent.
std::optional<git_oid> blob_at(git_commit* commit, const std::string& path) {
  auto tree = git_make<git_tree>("cannot read a commit's tree", git_commit_tree, commit);
  git_tree_entry* raw = nullptr;
  if (git_tree_entry_bypath(&raw, tree.get(), path.c_str()) < 0) return std::nullopt;
  GitPtr<git_tree_entry> entry(raw);
  return *git_tree_entry_id(entry.get());
}

CommitInfo describe(git_commit* commit) {
  CommitInfo info;
  info.id = to_hex(*git_commit_id(commit));
  const git_signature* author = git_commit_author(commit);
  info.author_name = author->name ? author->name : "";
  info.author_email = author->email ? author->email : "";
  info.time = author->when.time;
  info.summary = git_commit_summary(commit) ? git_commit_summary(commit) : "";
  git_message_trailer_array arr{};
  if (git_message_trailers(&arr, git_commit_message(commit)) == 0) {
    for (size_t i = 0; i < arr.count; ++i) info.trailers.emplace_back(arr.trailers[i].key, arr.trailers[i].value);
    git_message_trailer_array_free(&arr);
  }
  return info;
}

}  // namespace

std::optional<std::string> CommitInfo::trailer(const std::string& key) const {
  std::optional<std::string> out;
  for (const auto& [k, v] : trailers)
    if (k == key) out = v;
  return out;
}

std::vector<std::string> CommitInfo::trailer_values(const std::string& key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : trailers)
    if (k == key) out.push_back(v);
  return out;
}

CommitInfo commit_info(git_repository* repo, const std::string& id) {
  git_oid oid;
  git_check(git_oid_fromstr(&oid, id.c_str()), "invalid commit id '" + id + "'");
  auto commit = git_make<git_commit>("cannot read commit " + id, git_commit_lookup, repo, &oid);
  return describe(commit.get());
}

std::vector<CommitInfo> file_history(git_repository* repo, const std::string& tip, const std::string& path,
                                     size_t limit) {
  git_oid start;
  git_check(git_oid_fromstr(&start, tip.c_str()), "invalid commit id '" + tip + "'");
  auto walk = git_make<git_revwalk>("cannot walk history", git_revwalk_new, repo);
  git_check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME), "cannot walk history");
  git_check(git_revwalk_push(walk.get(), &start), "cannot walk history from " + tip);
  std::vector<CommitInfo> out;
  git_oid oid;
  while (git_revwalk_next(&oid, walk.get()) == 0) {
    auto commit = git_make<git_commit>("cannot read a commit", git_commit_lookup, repo, &oid);
    std::optional<git_oid> now = blob_at(commit.get(), path);
    std::optional<git_oid> before;
    if (git_commit_parentcount(commit.get()) > 0) {
      auto parent = git_make<git_commit>("cannot read a parent commit", git_commit_parent, commit.get(), 0u);
      before = blob_at(parent.get(), path);
    }
    const bool changed = now.has_value() != before.has_value() || (now && git_oid_cmp(&*now, &*before) != 0);
    if (!changed) continue;
    out.push_back(describe(commit.get()));
    out.back().trailers = trailers_for_file(out.back().trailers, path);  // a bump of several files: PATH's own
    if (limit && out.size() >= limit) break;
  }
  return out;
}

}  // namespace hoist
