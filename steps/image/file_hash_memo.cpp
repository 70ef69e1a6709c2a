// See file_hash_memo.hpp.
#include "steps/image/file_hash_memo.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string_view>
#include <type_traits>

#include "runner/util/atomic_file.hpp"
#include "runner/util/whole_file.hpp"

namespace hoist::image {
namespace {

constexpr std::int64_t kRacyWindowNs = 1'000'000'000;
constexpr std::string_view kHeader = "hoist-file-hashes 2\n";

std::int64_t ns(const struct timespec& t) { return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }

}  // namespace

std::int64_t realtime_ns() {
  struct timespec t {};
  clock_gettime(CLOCK_REALTIME, &t);
  return ns(t);
}

FileHashMemo::Entry FileHashMemo::entry_for(const struct stat& st) {
  Entry e;
  e.dev = st.st_dev;
  e.ino = st.st_ino;
  e.size = static_cast<std::uint64_t>(st.st_size);
  e.mode = st.st_mode;
  e.mtime_ns = ns(st.st_mtim);
  e.ctime_ns = ns(st.st_ctim);
  return e;
}

FileHashMemo::FileHashMemo(std::filesystem::path file) : file_(std::move(file)) {
  const std::optional<std::string> read = read_whole_file(file_);
  if (!read) return;
  const std::string& text = *read;
  if (text.rfind(kHeader, 0) != 0) return;  // another version, or damaged: an empty memo only costs a rehash
  const char* p = text.c_str() + kHeader.size();
  const char* const end = text.c_str() + text.size();
  auto number = [&](auto& out) {
    char* next = nullptr;
    errno = 0;
    long long v = std::strtoll(p, &next, 10);
    if (next == p || *next != ' ' || errno != 0) return false;
    out = static_cast<std::remove_reference_t<decltype(out)>>(v);
    p = next + 1;
    return true;
  };
  while (p < end) {
    const char* eol = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (!eol) break;  // a torn last line
    Entry e;
    if (!number(e.dev) || !number(e.ino) || !number(e.size) || !number(e.mode) || !number(e.mtime_ns) ||
        !number(e.ctime_ns) || !number(e.hashed_at_ns)) {
      loaded_.clear();
      return;
    }
    const char* space = static_cast<const char*>(std::memchr(p, ' ', static_cast<std::size_t>(eol - p)));
    if (!space || space + 1 >= eol) {
      loaded_.clear();
      return;
    }
    e.digest.assign(p, space);
    loaded_.emplace(std::string(space + 1, eol), std::move(e));
    p = eol + 1;
  }
}

std::optional<std::string> FileHashMemo::lookup(const std::string& path, const struct stat& st) const {
  auto it = loaded_.find(path);
  if (it == loaded_.end()) return std::nullopt;
  const Entry& e = it->second;
  const Entry now = entry_for(st);
  if (e.dev != now.dev || e.ino != now.ino || e.size != now.size || e.mode != now.mode || e.mtime_ns != now.mtime_ns ||
      e.ctime_ns != now.ctime_ns)
    return std::nullopt;
  if (e.mtime_ns > e.hashed_at_ns - kRacyWindowNs || e.ctime_ns > e.hashed_at_ns - kRacyWindowNs) return std::nullopt;
  used_[path] = e;
  return e.digest;
}

void FileHashMemo::remember(const std::string& path, const struct stat& st, std::string digest,
                            std::int64_t hashed_at_ns) {
  if (path.find('\n') != std::string::npos) return;
  Entry e = entry_for(st);
  e.hashed_at_ns = hashed_at_ns;
  e.digest = std::move(digest);
  used_[path] = std::move(e);
  remembered_ = true;
}

void FileHashMemo::save() const {
  if (!remembered_ && used_.size() == loaded_.size()) return;  // every entry loaded was used, none is new
  std::string out(kHeader);
  for (const auto& [path, e] : used_) {
    out += std::to_string(e.dev) + ' ' + std::to_string(e.ino) + ' ' + std::to_string(e.size) + ' ' +
           std::to_string(e.mode) + ' ' + std::to_string(e.mtime_ns) + ' ' + std::to_string(e.ctime_ns) + ' ' +
           std::to_string(e.hashed_at_ns) + ' ' + e.digest + ' ' + path + '\n';
  }
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  write_file_atomically(file_.string(), out);
}

}  // namespace hoist::image
