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

// A merge commit whose message carries no Hoist-* trailer (merged in a forge's UI, "Merge pull request #7 from ...")
// speaks for the commit it merged: its trailers and summary are the merged branch's tip's (a promotion's commit).
void adopt_merged_trailers(git_commit* merge, CommitInfo& info) {
  for (const auto& [k, _] : info.trailers)
    if (k.rfind("Hoist-", 0) == 0) return;
  auto merged = git_make<git_commit>("cannot read a merged commit", git_commit_parent, merge, 1u);
  CommitInfo from = describe(merged.get());
  info.trailers.insert(info.trailers.end(), from.trailers.begin(), from.trailers.end());
  info.summary = from.summary;
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
                                     size_t limit, const std::function<bool(const CommitInfo&)>& wanted) {
  git_oid start;
  git_check(git_oid_fromstr(&start, tip.c_str()), "invalid commit id '" + tip + "'");
  // The branch's own history, first parents only: a merged promotion is its merge commit, not also the commits of
  // the merged branch. A tree is read at most once: the parent's blob id is the next round's own.
  auto commit = git_make<git_commit>("cannot read commit " + tip, git_commit_lookup, repo, &start);
  std::optional<std::optional<git_oid>> now;  // PATH's blob in `commit`, once read
  std::vector<CommitInfo> out;
  for (;;) {
    GitPtr<git_commit> parent;
    if (git_commit_parentcount(commit.get()) > 0)
      parent = git_make<git_commit>("cannot read a parent commit", git_commit_parent, commit.get(), 0u);
    std::optional<std::optional<git_oid>> before;
    // The commit as returned: read before the trees when WANTED judges by it, else only once it changed PATH.
    std::optional<CommitInfo> info;
    const auto read_info = [&] {
      info = describe(commit.get());
      info->trailers = trailers_for_file(info->trailers, path);  // a bump of several files: PATH's own
      if (git_commit_parentcount(commit.get()) > 1) adopt_merged_trailers(commit.get(), *info);
    };
    if (wanted) read_info();
    if (!wanted || wanted(*info)) {
      if (!now) now = blob_at(commit.get(), path);
      before = parent ? blob_at(parent.get(), path) : std::nullopt;
      const std::optional<git_oid>& a = *now;
      const std::optional<git_oid>& b = *before;
      if (a.has_value() != b.has_value() || (a && git_oid_cmp(&*a, &*b) != 0)) {
        if (!info) read_info();
        out.push_back(std::move(*info));
        if (limit && out.size() >= limit) break;
      }
    }
    if (!parent) break;
    commit = std::move(parent);
    now = before;
  }
  return out;
}

}  // namespace hoist
