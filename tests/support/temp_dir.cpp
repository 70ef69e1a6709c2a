// RAII temporary directories for tests (see temp_dir.hpp).
#include "tests/support/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "tests/support/known_secrets.hpp"

namespace hoist::test {

TempDir::TempDir(std::string_view prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = tmp && *tmp ? tmp : "/tmp";
  std::string pattern = base + "/" + std::string(prefix) + "-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data())) {
    throw std::runtime_error("cannot create a temporary directory under " + base + ": " + std::strerror(errno));
  }
  // Canonical, so paths compare equal to what scripts print after `cd DIR && pwd -P`.
  path_ = std::filesystem::canonical(buffer.data());
}

TempDir::~TempDir() {
  check_tree_before_removal(path_);
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace hoist::test
