#pragma once
// How hoist prints errors on stderr (docs/DESIGN.md): every line starts with "hoist: error: " — a thrown error, each
// problem of a pipeline or policy file, each failed step at the end of a run.

#include <string>
#include <string_view>

#include "runner/util/diagnostics.hpp"

namespace hoist {

inline constexpr std::string_view kErrorPrefix = "hoist: error: ";

// Every problem at once, as Diagnostics::format() orders them, each line an error: "hoist: error: FILE:LINE:COL: ...".
std::string error_lines(const Diagnostics& diagnostics);

}  // namespace hoist
