#pragma once
// A private temporary directory for the product (not tests): files that other programs must read by path, such as
// ssh-keygen's allowed_signers and signature files, live in one and are gone when it goes out of scope, even when
// an exception passes.

#include <filesystem>
#include <string>
#include <string_view>

namespace hoist {

class ScratchDir {
 public:
  // Creates $TMPDIR/PREFIX-XXXXXX (or under /tmp), mode 0700. Throws hoist::Error when it cannot.
  explicit ScratchDir(std::string_view prefix = "hoist");
  ~ScratchDir();  // removes the whole tree; never throws
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `content` to NAME inside the directory (mode 0600) and returns its path. Throws hoist::Error.
  std::string write(std::string_view name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace hoist
