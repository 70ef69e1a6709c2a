#pragma once
// Writing a whole file so that readers see either the old content or the new, never half of it: report files
// (JUnit, dotenv) are picked up by CI even when Hoist is killed while writing them.

#include <string>
#include <string_view>

namespace hoist {

// Writes `content` to a temporary file next to `path`, flushes it to disk, then renames it over `path`.
// The file gets mode 0644. Throws hoist::Error (naming `path`) on failure; the temporary file is removed.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace hoist
