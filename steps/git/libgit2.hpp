#pragma once
// libgit2, made safe to use from C++ everywhere in Hoist (built-in variables, manifest/bump, promote): one
// process-wide git_libgit2_init, a unique_ptr type for every handle with libgit2's own free function, and failures
// as hoist::Error carrying libgit2's message, with any credentials in URLs redacted.
//
//   libgit2_init();
//   auto repo = git_make<git_repository>("cannot open repository", git_repository_open, path.c_str());
//   GitPtr<git_reference> head;  // or by hand:
//   git_reference* raw = nullptr;
//   git_check(git_repository_head(&raw, repo.get()), "cannot read HEAD");
//   head.reset(raw);

#include <git2.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "runner/util/errors.hpp"

namespace hoist {

// Initialises libgit2 the first time it is called (thread-safe) and shuts it down at process exit. Every function
// here calls it; call it yourself before using git_* directly.
void libgit2_init();

// Tells libgit2's TLS about SSL_CERT_FILE / SSL_CERT_DIR, once per process, when an https remote is first used.
void use_environment_ca_locations();

// A failed libgit2 call. `git_code()` is libgit2's return code (GIT_ENOTFOUND, GIT_ENONFASTFORWARD, ...).
class GitError : public Error {
 public:
  GitError(const std::string& message, int git_code) : Error(message), git_code_(git_code) {}
  int git_code() const { return git_code_; }

 private:
  int git_code_;
};

// Throws GitError("WHAT: <libgit2's last error message>") when rc < 0; returns rc otherwise.
int git_check(int rc, std::string_view what);

// The id of a commit given in hex; throws GitError "invalid commit id 'HEX'".
git_oid parse_oid(const std::string& hex);

// The deleter for each handle type: libgit2's free function for it.
template <typename T> struct GitFree;
#define HOIST_GIT_FREE(type)                                              \
  template <> struct GitFree<type> {                                      \
    void operator()(type* p) const noexcept { type##_free(p); }           \
  };
HOIST_GIT_FREE(git_annotated_commit)
HOIST_GIT_FREE(git_blob)
HOIST_GIT_FREE(git_branch_iterator)
HOIST_GIT_FREE(git_commit)
HOIST_GIT_FREE(git_config)
HOIST_GIT_FREE(git_config_entry)
HOIST_GIT_FREE(git_config_iterator)
HOIST_GIT_FREE(git_credential)
HOIST_GIT_FREE(git_diff)
HOIST_GIT_FREE(git_index)
HOIST_GIT_FREE(git_object)
HOIST_GIT_FREE(git_odb)
HOIST_GIT_FREE(git_patch)
HOIST_GIT_FREE(git_rebase)
HOIST_GIT_FREE(git_reference)
HOIST_GIT_FREE(git_reference_iterator)
HOIST_GIT_FREE(git_remote)
HOIST_GIT_FREE(git_repository)
HOIST_GIT_FREE(git_revwalk)
HOIST_GIT_FREE(git_signature)
HOIST_GIT_FREE(git_status_list)
HOIST_GIT_FREE(git_tag)
HOIST_GIT_FREE(git_tree)
HOIST_GIT_FREE(git_tree_entry)
HOIST_GIT_FREE(git_treebuilder)
#undef HOIST_GIT_FREE

// An owned libgit2 handle: GitPtr<git_repository>, GitPtr<git_commit>, ...
template <typename T> using GitPtr = std::unique_ptr<T, GitFree<T>>;

// For the libgit2 convention `int fn(T** out, args...)`: calls it, checks rc, returns the owned handle.
template <typename T, typename Fn, typename... Args>
GitPtr<T> git_make(std::string_view what, Fn&& fn, Args&&... args) {
  libgit2_init();
  T* raw = nullptr;
  git_check(std::forward<Fn>(fn)(&raw, std::forward<Args>(args)...), what);
  return GitPtr<T>(raw);
}

// A git_buf that libgit2 fills; disposed when it goes out of scope.
class GitBuf {
 public:
  GitBuf() = default;
  ~GitBuf() { git_buf_dispose(&buf_); }
  GitBuf(const GitBuf&) = delete;
  GitBuf& operator=(const GitBuf&) = delete;
  git_buf* get() { return &buf_; }
  std::string str() const { return buf_.ptr ? std::string(buf_.ptr, buf_.size) : std::string(); }

 private:
  git_buf buf_ = GIT_BUF_INIT;
};

// A git_strarray that libgit2 fills (remote lists, ref lists); disposed when it goes out of scope.
class GitStrArray {
 public:
  GitStrArray() = default;
  ~GitStrArray() { git_strarray_dispose(&array_); }
  GitStrArray(const GitStrArray&) = delete;
  GitStrArray& operator=(const GitStrArray&) = delete;
  git_strarray* get() { return &array_; }
  size_t size() const { return array_.count; }
  std::string operator[](size_t i) const { return array_.strings[i]; }

 private:
  git_strarray array_{nullptr, 0};
};

// NAME's value in git's global and system configuration (~/.gitconfig, $XDG_CONFIG_HOME/git/config, /etc/gitconfig),
// "" when it is not set or there is no such configuration.
std::string git_global_config(const char* name);

// "0123abcd..." (40 hex digits)
std::string to_hex(const git_oid& oid);

}  // namespace hoist
