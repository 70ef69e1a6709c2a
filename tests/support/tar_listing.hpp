#pragma once
// Reading a layer back with libarchive, for tests that check exactly what a tar holds.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace hoist::test {

struct TarListing {
  std::string name;
  char type = '?';  // 'd' directory, 'f' file, 'l' symlink
  unsigned mode = 0;
  long long uid = -1, gid = -1;
  long long mtime = -1;
  bool has_atime = false, has_ctime = false;
  std::string uname, gname;
  std::string link_target;
  std::string contents;
  int xattrs = 0;
};

// Every entry of a (possibly compressed) tar file, in archive order. Throws std::runtime_error when unreadable.
std::vector<TarListing> list_tar(const std::filesystem::path& path);

}  // namespace hoist::test
