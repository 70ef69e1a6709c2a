// See file_hash_memo.hpp.
#include "steps/image/file_hash_memo.hpp"

#include <nlohmann/json.hpp>

#include <ctime>
#include <fstream>

#include "runner/atomic_file.hpp"

namespace hoist::image {
namespace {

constexpr std::int64_t kRacyWindowNs = 1'000'000'000;

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
  std::ifstream in(file_);
  if (!in) return;
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (j.value("version", 0) != 1) return;
    for (const auto& [path, v] : j.at("files").items()) {
      Entry e;
      e.dev = v.at("dev");
      e.ino = v.at("ino");
      e.size = v.at("size");
      e.mode = v.at("mode");
      e.mtime_ns = v.at("mtime_ns");
      e.ctime_ns = v.at("ctime_ns");
      e.hashed_at_ns = v.at("hashed_at_ns");
      e.digest = v.at("digest");
      loaded_[path] = std::move(e);
    }
  } catch (const std::exception&) {
    loaded_.clear();  // a damaged memo only costs a rehash
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
  Entry e = entry_for(st);
  e.hashed_at_ns = hashed_at_ns;
  e.digest = std::move(digest);
  used_[path] = std::move(e);
}

void FileHashMemo::save() const {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [path, e] : used_)
    files[path] = {{"dev", e.dev},           {"ino", e.ino},           {"size", e.size},
                   {"mode", e.mode},         {"mtime_ns", e.mtime_ns}, {"ctime_ns", e.ctime_ns},
                   {"hashed_at_ns", e.hashed_at_ns}, {"digest", e.digest}};
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  write_file_atomically(file_.string(), nlohmann::json{{"version", 1}, {"files", files}}.dump() + "\n");
}

}  // namespace hoist::image
