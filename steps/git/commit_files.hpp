#pragma once
// Reading and writing files of a commit straight in the object database, without a working tree or an index: read
// blobs at a commit, write new blobs, build the new tree from the old one with git_tree_create_updated (only the
// trees on the changed paths are rewritten), and create a commit whose parent is the old one. No ref is updated.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "steps/git/git_handles.hpp"

namespace hoist {

struct Signature {
  std::string name;
  std::string email;
  std::optional<int64_t> time;  // seconds since the epoch; now when absent
  int offset_minutes = 0;       // with `time`
};

// Signs the text of a commit object (what `git cat-file commit` prints for it, without a signature) and returns the
// armored signature git keeps in the commit's `gpgsig` header: OpenPGP or SSH, made by steps/signing/commit_signer.
// Throws hoist::Error when it cannot sign. An empty CommitSigner: the commit is not signed.
using CommitSigner = std::function<std::string(const std::string& commit_text)>;

// "a/b.yaml", "./a/b.yaml" and "/a/b.yaml" all name "a/b.yaml". Throws InputError for "", "..", "a/../b" or a
// trailing "/".
std::string normalize_repo_path(const std::string& path);

// The content of each path at COMMIT (hex id); nullopt where there is no such file (or it is a directory).
std::map<std::string, std::optional<std::string>> read_files(git_repository* repo, const std::string& commit,
                                                             const std::vector<std::string>& paths);

// Writes CHANGES (path -> new content) over PARENT's tree and commits that with PARENT as the only parent. Existing
// files keep their mode (an executable stays executable); new files are 100644. Signed by SIGN when given. Returns
// the new commit's id.
std::string commit_files(git_repository* repo, const std::string& parent,
                         const std::map<std::string, std::string>& changes, const Signature& author,
                         const Signature& committer, const std::string& message, const CommitSigner& sign = {});

// Every file (blob) path at COMMIT, sorted.
std::vector<std::string> list_files(git_repository* repo, const std::string& commit);

// A commit without a parent whose tree holds FILES (name -> content, names without '/'), by AUTHOR (also the
// committer), signed by SIGN when given. Returns its id. For records kept under their own refs (approvals), not for
// a branch's history.
std::string commit_root_files(git_repository* repo, const std::map<std::string, std::string>& files,
                              const Signature& author, const std::string& message, const CommitSigner& sign = {});

// The id git gives CONTENT as a blob (`git hash-object`), without a repository.
std::string blob_id(const std::string& content);

// Makes every TLS connection of git trust the CAs in FILE (a step's or command's ca_file). Throws GitError.
void use_git_ca_file(const std::string& file);

}  // namespace hoist
