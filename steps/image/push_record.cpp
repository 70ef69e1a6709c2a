// See push_record.hpp.
#include "steps/image/push_record.hpp"

#include <fstream>
#include <system_error>

#include "steps/digest/sha256.hpp"

namespace hoist::image {
namespace fs = std::filesystem;

fs::path PushRecords::file(const std::string& repository, const std::string& digest) const {
  return dir_ / digest_hex(sha256_digest(repository + "@" + digest));
}

bool PushRecords::has(const std::string& repository, const std::string& digest) const {
  std::error_code ec;
  return fs::exists(file(repository, digest), ec);
}

void PushRecords::remember(const std::string& repository, const std::string& digest) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  std::ofstream(file(repository, digest)).flush();  // empty: its name is the fact
}

void PushRecords::forget(const std::string& repository, const std::string& digest) const {
  std::error_code ec;
  fs::remove(file(repository, digest), ec);
}

}  // namespace hoist::image
