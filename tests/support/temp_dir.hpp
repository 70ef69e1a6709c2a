#pragma once
// A temporary directory that exists exactly as long as its owner: tests and server fixtures keep their files in one,
// so nothing outlives a test, even one that fails.

#include <filesystem>
#include <string_view>

namespace hoist::test {

class TempDir {
 public:
  // Creates a fresh directory under $TMPDIR (or /tmp) named PREFIX-XXXXXX, mode 0700.
  explicit TempDir(std::string_view prefix = "hoist-test");
  ~TempDir();  // scans the tree for known secrets (known_secrets.hpp), then removes it; never throws
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }
  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace hoist::test
