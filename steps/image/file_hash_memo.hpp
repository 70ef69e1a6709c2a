#pragma once
// The content hash of every file a layer is made of, remembered with the file's stat data (device, inode, size,
// mode, mtime and ctime in nanoseconds), the way git's index avoids rereading unchanged files: a file whose stat
// data are what they were when it was hashed is not read again. So an unchanged rebuild of a large app directory
// costs a stat per file, not a read of every byte, while the layer cache stays keyed on contents.
//
// The racy case (git's "racily clean" files): a file written within the timestamp granularity of its hashing could
// change again without its mtime moving. An entry is trusted only when the file's mtime and ctime were at least
// one second older than the moment it was hashed; other files are hashed again (and then, usually, trusted next
// time). Any change of content after hashing moves ctime, which no user-level call can set back.
//
// The file is plain text, one entry per line, read and written without a JSON library (parsing 2,000 JSON objects
// was a tenth of an unchanged rebuild's CPU time):
//   hoist-file-hashes 2
//   <dev> <ino> <size> <mode> <mtime_ns> <ctime_ns> <hashed_at_ns> sha256:<hex> <path to the end of the line>
// A path holding a newline is never remembered (it is simply hashed every time).

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace hoist::image {

class FileHashMemo {
 public:
  // Loads `file` when it exists; a missing or damaged file is an empty memo.
  explicit FileHashMemo(std::filesystem::path file);

  // The remembered digest of `path` when `st` still matches what it was and the entry is not racy.
  std::optional<std::string> lookup(const std::string& path, const struct stat& st) const;
  // Records the digest of `path`, hashed at `hashed_at_ns` (CLOCK_REALTIME nanoseconds) with stat data `st`.
  void remember(const std::string& path, const struct stat& st, std::string digest, std::int64_t hashed_at_ns);
  // Writes the entries looked up or remembered since loading (files no longer used drop out), atomically; does not
  // touch the file when that is exactly what was loaded (an unchanged rebuild writes nothing).
  void save() const;

 private:
  struct Entry {
    std::uint64_t dev = 0, ino = 0, size = 0, mode = 0;
    std::int64_t mtime_ns = 0, ctime_ns = 0, hashed_at_ns = 0;
    std::string digest;
  };
  static Entry entry_for(const struct stat& st);

  std::filesystem::path file_;
  std::map<std::string, Entry> loaded_;
  mutable std::map<std::string, Entry> used_;
  bool remembered_ = false;  // something new since loading
};

// Nanoseconds since the epoch, CLOCK_REALTIME (the clock file timestamps use).
std::int64_t realtime_ns();

}  // namespace hoist::image
