#pragma once
// Checks on an input file's raw bytes before any YAML parser sees them: a size limit (a pipeline or policy file is
// written by people; megabytes mean a mistake or an attack, and yaml-cpp's time and memory grow with the input)
// and UTF-8 validity (YAML requires Unicode; yaml-cpp passes invalid bytes through, which would then reach messages,
// commit trailers and reports). Both are reported with the file's name and, for bad bytes, their line and column.

#include <cstddef>
#include <string>
#include <string_view>

#include "runner/util/diagnostics.hpp"

namespace hoist {

// Larger inputs are refused; the largest real pipeline or policy file is a few kilobytes.
inline constexpr std::size_t kMaxInputBytes = 1024 * 1024;

// Adds a diagnostic and returns false when `text` is larger than kMaxInputBytes or is not valid UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF included). `what` names the file in the message
// ("pipeline file", "policy file").
bool check_input_text(std::string_view text, const std::string& file, const std::string& what, Diagnostics& diags);

// The byte offset of the first invalid UTF-8 sequence, or npos when the text is valid.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace hoist
