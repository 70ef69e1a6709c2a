#pragma once
// Writing small file trees for image tests: files with contents and modes, symlinks, directories.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace hoist::test {

inline void write_tree_file(const std::filesystem::path& path, const std::string& contents, unsigned mode = 0644) {
  std::filesystem::create_directories(path.parent_path());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    out << contents;
  }
  if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("cannot chmod " + path.string());
}

}  // namespace hoist::test
