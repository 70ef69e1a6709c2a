// See commit_files.hpp.

#include "steps/git/commit_files.hpp"

#include <algorithm>
#include <sstream>

#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

GitPtr<git_tree> tree_of(git_repository* repo, const std::string& commit) {
  git_oid oid = parse_oid(commit);
  auto c = git_make<git_commit>("cannot read commit " + commit, git_commit_lookup, repo, &oid);
  return git_make<git_tree>("cannot read the tree of " + commit, git_commit_tree, c.get());
}

GitPtr<git_signature> make_signature(const Signature& s, const char* role) {
  if (s.name.empty() || s.email.empty()) throw InputError(std::string("the commit ") + role + " needs a name and an email");
  if (s.time)
    return git_make<git_signature>(std::string("invalid ") + role, git_signature_new, s.name.c_str(), s.email.c_str(),
                                   static_cast<git_time_t>(*s.time), s.offset_minutes);
  return git_make<git_signature>(std::string("invalid ") + role, git_signature_now, s.name.c_str(), s.email.c_str());
}

// Writes the commit object; with SIGN, the commit's text is signed and the signature goes into its gpgsig header,
// laid out as git lays it out (continuation lines start with a space, no blank line after the signature).
std::string create_commit(git_repository* repo, const git_signature* author, const git_signature* committer,
                          const char* encoding, const std::string& message, const git_tree* tree, size_t parent_count,
                          const git_commit** parents, const CommitSigner& sign) {
  git_oid oid;
  if (!sign) {
    git_check(git_commit_create(&oid, repo, nullptr, author, committer, encoding, message.c_str(), tree, parent_count,
                                parents),
              "cannot create the commit");
    return to_hex(oid);
  }
  GitBuf text;
  git_check(git_commit_create_buffer(text.get(), repo, author, committer, encoding, message.c_str(), tree,
                                     parent_count, parents),
            "cannot create the commit");
  const std::string content = text.str();
  std::string signature = sign(content);
  while (!signature.empty() && (signature.back() == '\n' || signature.back() == '\r')) signature.pop_back();
  if (signature.empty()) throw Error("cannot sign the commit: the signing program printed no signature");
  git_check(git_commit_create_with_signature(&oid, repo, content.c_str(), signature.c_str(), nullptr),
            "cannot write the signed commit");
  return to_hex(oid);
}

}  // namespace

std::string normalize_repo_path(const std::string& path) {
  std::string p = path;
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  while (!p.empty() && p.front() == '/') p.erase(0, 1);
  if (p.empty() || p.back() == '/') throw InputError("invalid file path '" + path + "' in the repository");
  std::istringstream parts(p);
  for (std::string part; std::getline(parts, part, '/');) {
    if (part.empty() || part == "." || part == ".." || part == ".git")
      throw InputError("invalid file path '" + path + "' in the repository");
  }
  return p;
}

std::map<std::string, std::optional<std::string>> read_files(git_repository* repo, const std::string& commit,
                                                             const std::vector<std::string>& paths) {
  auto tree = tree_of(repo, commit);
  std::map<std::string, std::optional<std::string>> files;
  for (const auto& path : paths) {
    git_tree_entry* raw = nullptr;
    int rc = git_tree_entry_bypath(&raw, tree.get(), path.c_str());
    if (rc == GIT_ENOTFOUND) {
      files[path] = std::nullopt;
      continue;
    }
    git_check(rc, "cannot look up " + path + " at " + commit);
    GitPtr<git_tree_entry> entry(raw);
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) {
      files[path] = std::nullopt;
      continue;
    }
    auto blob = git_make<git_blob>("cannot read " + path, git_blob_lookup, repo, git_tree_entry_id(entry.get()));
    const char* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    files[path] = std::string(data, static_cast<size_t>(git_blob_rawsize(blob.get())));
  }
  return files;
}

std::string commit_files(git_repository* repo, const std::string& parent,
                         const std::map<std::string, std::string>& changes, const Signature& author,
                         const Signature& committer, const std::string& message, const CommitSigner& sign) {
  git_oid parent_oid = parse_oid(parent);
  auto parent_commit = git_make<git_commit>("cannot read commit " + parent, git_commit_lookup, repo, &parent_oid);
  auto base = git_make<git_tree>("cannot read the tree of " + parent, git_commit_tree, parent_commit.get());

  std::vector<git_tree_update> updates;
  updates.reserve(changes.size());
  for (const auto& [path, content] : changes) {
    git_tree_update u{};
    u.action = GIT_TREE_UPDATE_UPSERT;
    git_check(git_blob_create_from_buffer(&u.id, repo, content.data(), content.size()), "cannot write " + path);
    u.filemode = GIT_FILEMODE_BLOB;
    git_tree_entry* raw = nullptr;
    if (git_tree_entry_bypath(&raw, base.get(), path.c_str()) == 0) {
      GitPtr<git_tree_entry> old(raw);
      if (git_tree_entry_filemode(old.get()) == GIT_FILEMODE_BLOB_EXECUTABLE) u.filemode = GIT_FILEMODE_BLOB_EXECUTABLE;
    }
    u.path = path.c_str();
    updates.push_back(u);
  }
  git_oid tree_oid;
  git_check(git_tree_create_updated(&tree_oid, repo, base.get(), updates.size(), updates.data()),
            "cannot build the new tree");
  auto tree = git_make<git_tree>("cannot read the new tree", git_tree_lookup, repo, &tree_oid);

  auto author_sig = make_signature(author, "author");
  auto committer_sig = make_signature(committer, "committer");
  const git_commit* parents[] = {parent_commit.get()};
  return create_commit(repo, author_sig.get(), committer_sig.get(), "UTF-8", message, tree.get(), 1, parents, sign);
}

std::vector<std::string> list_files(git_repository* repo, const std::string& commit) {
  const git_oid oid = parse_oid(commit);
  auto c = git_make<git_commit>("cannot read commit " + commit, git_commit_lookup, repo, &oid);
  auto tree = git_make<git_tree>("cannot read a commit's tree", git_commit_tree, c.get());
  std::vector<std::string> out;
  auto collect = [](const char* root, const git_tree_entry* entry, void* payload) -> int {
    if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB)
      static_cast<std::vector<std::string>*>(payload)->push_back(std::string(root) + git_tree_entry_name(entry));
    return 0;
  };
  git_check(git_tree_walk(tree.get(), GIT_TREEWALK_PRE, collect, &out), "cannot list files of " + commit);
  std::sort(out.begin(), out.end());
  return out;
}

std::string commit_root_files(git_repository* repo, const std::map<std::string, std::string>& files,
                              const Signature& author, const std::string& message, const CommitSigner& sign) {
  auto builder = git_make<git_treebuilder>("cannot build a tree", git_treebuilder_new, repo, nullptr);
  for (const auto& [name, content] : files) {
    git_oid blob;
    git_check(git_blob_create_from_buffer(&blob, repo, content.data(), content.size()), "cannot write " + name);
    git_check(git_treebuilder_insert(nullptr, builder.get(), name.c_str(), &blob, GIT_FILEMODE_BLOB),
              "cannot add " + name + " to a tree");
  }
  git_oid tree_oid;
  git_check(git_treebuilder_write(&tree_oid, builder.get()), "cannot write a tree");
  auto tree = git_make<git_tree>("cannot read a tree", git_tree_lookup, repo, &tree_oid);
  auto sig = make_signature(author, "author");
  return create_commit(repo, sig.get(), sig.get(), nullptr, message, tree.get(), 0, nullptr, sign);
}

std::string blob_id(const std::string& content) {
  libgit2_init();
  git_oid oid;
  git_check(git_odb_hash(&oid, content.data(), content.size(), GIT_OBJECT_BLOB), "cannot hash a blob");
  return to_hex(oid);
}

void use_git_ca_file(const std::string& file) {
  use_environment_ca_locations();  // applied first, so the step's file wins
  git_check(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file.c_str(), nullptr), "cannot use the CA file " + file);
}

}  // namespace hoist
