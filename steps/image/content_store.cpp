// See content_store.hpp.
#include "steps/image/content_store.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "runner/util/atomic_file.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/whole_file.hpp"
#include "steps/digest/sha256.hpp"

namespace hoist::image {
namespace fs = std::filesystem;

ContentStore::ContentStore(fs::path root) : root_(std::move(root)) {
  std::error_code ec;
  fs::create_directories(root_ / "blobs" / "sha256", ec);
  if (ec) throw Error("cannot create the content store " + root_.string() + ": " + ec.message());
}

fs::path ContentStore::default_root() {
  if (const char* c = std::getenv("HOIST_CACHE"); c && *c) return c;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return fs::path(x) / "hoist";
  if (const char* h = std::getenv("HOME"); h && *h) return fs::path(h) / ".cache" / "hoist";
  throw Error("no cache directory: set HOIST_CACHE or HOME");
}

fs::path ContentStore::blob_path(const std::string& digest) const {
  return root_ / "blobs" / "sha256" / digest_hex(digest);
}

bool ContentStore::has(const std::string& digest) const {
  std::error_code ec;
  return fs::is_regular_file(blob_path(digest), ec);
}

std::uint64_t ContentStore::size(const std::string& digest) const {
  std::error_code ec;
  auto n = fs::file_size(blob_path(digest), ec);
  if (ec) throw Error("blob " + digest + " is not in the content store " + root_.string());
  return n;
}

std::string ContentStore::read(const std::string& digest) const {
  std::optional<std::string> bytes = read_whole_file(blob_path(digest));
  if (!bytes) throw Error("blob " + digest + " is missing from the content store " + root_.string());
  return std::move(*bytes);
}

std::string ContentStore::put(std::string_view bytes) {
  std::string digest = sha256_digest(bytes);
  if (!has(digest)) write_file_atomically(blob_path(digest).string(), bytes);
  return digest;
}

ContentStore::Pending::~Pending() {
  if (!path_.empty()) ::unlink(path_.c_str());
}

ContentStore::Pending ContentStore::begin_blob() const {
  std::string tmpl = (root_ / "blobs" / "sha256" / ".incoming-XXXXXX").string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) throw Error("cannot write to the content store " + root_.string() + ": " + std::strerror(errno));
  ::close(fd);
  ::chmod(tmpl.c_str(), 0644);
  return Pending(tmpl);
}

void ContentStore::commit(Pending& pending, const std::string& digest) const {
  fs::path target = blob_path(digest);
  if (::rename(pending.path_.c_str(), target.c_str()) != 0)
    throw Error("cannot store blob " + digest + ": " + std::strerror(errno));
  pending.path_.clear();
}

}  // namespace hoist::image
