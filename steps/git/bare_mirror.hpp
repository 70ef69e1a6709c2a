#pragma once
// The bare repository a bump works in (there is never a working tree): a temporary one, removed when the bump ends,
// or a persistent mirror in the cache directory (`cache_dir`, HOIST_CACHE) that CI keeps between runs, so the next
// run fetches only new objects. One mirror per repository URL (credential-free), under CACHE/hoist-git/. A mirror
// that cannot be opened, is not bare, or was made for another URL is discarded and rebuilt, with a warning. Runs
// sharing a cache take turns (an exclusive lock on the mirror for the life of this object); the URL is never
// written into the mirror's config (remotes are anonymous).

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "runner/util/unique_fd.hpp"
#include "steps/git/libgit2.hpp"

namespace hoist {

class BareMirror {
 public:
  // `url` is the credential-free URL (it names the cache entry). Throws hoist::Error when no repository can be made.
  BareMirror(const std::string& url, const std::optional<std::string>& cache_dir,
             const std::function<void(std::string_view)>& warn);
  ~BareMirror();
  BareMirror(const BareMirror&) = delete;
  BareMirror& operator=(const BareMirror&) = delete;

  git_repository* repo() const { return repo_.get(); }
  const std::filesystem::path& path() const { return path_; }
  bool cached() const { return cached_; }

 private:
  void init(const std::string& url, const std::optional<std::string>& cache_dir,
            const std::function<void(std::string_view)>& warn);
  void release() noexcept;

  std::filesystem::path path_;
  bool cached_ = false;
  UniqueFd lock_fd_;
  GitPtr<git_repository> repo_;
};

// The name of the mirror of URL inside a cache directory: "<last path part>-<12 hex digits of its hash>.git".
std::string mirror_name(const std::string& url);

}  // namespace hoist
