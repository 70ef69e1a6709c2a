#pragma once
// Writing a report file (--junit, --dotenv, generated CI files): missing parent directories are created first, since
// CI systems collect reports from folders the job never made (Bitbucket's test-results/, a child pipeline's
// hoist-reports/); then the file is written atomically (atomic_file.hpp).

#include <string>
#include <string_view>

namespace hoist {

// Throws hoist::Error naming `path` when a directory cannot be created or the file cannot be written.
void write_report_file(const std::string& path, std::string_view content);

}  // namespace hoist
