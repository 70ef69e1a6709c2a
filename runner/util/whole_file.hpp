#pragma once
// A whole file read into memory, for files known to be small (pipeline and policy files, memos, output files).

#include <filesystem>
#include <optional>
#include <string>

namespace hoist {

// The file's bytes; nullopt when it cannot be opened (errno says why).
std::optional<std::string> read_whole_file(const std::filesystem::path& path);

}  // namespace hoist
