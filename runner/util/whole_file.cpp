// See whole_file.hpp.

#include "runner/util/whole_file.hpp"

#include <fstream>
#include <sstream>

namespace hoist {

std::optional<std::string> read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace hoist
