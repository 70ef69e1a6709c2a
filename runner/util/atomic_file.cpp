// See atomic_file.hpp.

#include "runner/util/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "runner/util/errors.hpp"
#include "runner/util/unique_fd.hpp"

namespace hoist {
namespace {

// Owns the temporary file until it is renamed into place.
class TempFile {
 public:
  explicit TempFile(const std::string& target) {
    std::filesystem::path p(target);
    std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
    path_ = dir + "/." + p.filename().string() + ".tmp-XXXXXX";
    fd_.reset(::mkstemp(path_.data()));
    if (!fd_) throw Error("cannot write " + target + ": " + std::strerror(errno));
  }
  ~TempFile() {
    fd_.reset();
    if (!renamed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  // Closes the descriptor; returns false (errno set) when close reports a failed write.
  bool close() { return ::close(fd_.release()) == 0; }
  void mark_renamed() { renamed_ = true; }

 private:
  std::string path_;
  UniqueFd fd_;
  bool renamed_ = false;
};

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  TempFile tmp(path);
  auto fail = [&path]() { throw Error("cannot write " + path + ": " + std::strerror(errno)); };
  const char* data = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(tmp.fd(), data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail();
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  if (::fchmod(tmp.fd(), 0644) != 0) fail();
  if (::fsync(tmp.fd()) != 0) fail();
  if (!tmp.close()) fail();
  if (::rename(tmp.path().c_str(), path.c_str()) != 0) fail();
  tmp.mark_renamed();
}

}  // namespace hoist
