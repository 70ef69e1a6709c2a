// See tree_export.hpp.

#include "steps/git/tree_export.hpp"

#include <fstream>

#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

void write_tree(git_repository* repo, const git_tree* tree, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  for (size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
    const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
    const std::string name = git_tree_entry_name(entry);
    const git_filemode_t mode = git_tree_entry_filemode(entry);
    if (mode == GIT_FILEMODE_TREE) {
      auto sub = git_make<git_tree>("cannot read directory " + name, git_tree_lookup, repo, git_tree_entry_id(entry));
      write_tree(repo, sub.get(), dir / name);
    } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
      auto blob = git_make<git_blob>("cannot read " + name, git_blob_lookup, repo, git_tree_entry_id(entry));
      std::ofstream out(dir / name, std::ios::binary);
      out.write(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                static_cast<std::streamsize>(git_blob_rawsize(blob.get())));
      if (!out) throw Error("cannot write " + (dir / name).string());
    }
  }
}

}  // namespace

void export_tree(git_repository* repo, const std::string& commit, const std::filesystem::path& dir) {
  libgit2_init();
  git_oid oid;
  git_check(git_oid_fromstr(&oid, commit.c_str()), "not a commit id: " + commit);
  auto c = git_make<git_commit>("cannot read commit " + commit, git_commit_lookup, repo, &oid);
  auto tree = git_make<git_tree>("cannot read the tree of " + commit, git_commit_tree, c.get());
  write_tree(repo, tree.get(), dir);
}

}  // namespace hoist
