// See report_file.hpp.
#include "runner/report/report_file.hpp"

#include <filesystem>
#include <system_error>

#include "runner/util/atomic_file.hpp"
#include "runner/util/errors.hpp"

namespace hoist {

void write_report_file(const std::string& path, std::string_view content) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) throw Error("cannot write " + path + ": cannot create " + parent.string() + ": " + ec.message());
  }
  write_file_atomically(path, content);
}

}  // namespace hoist
