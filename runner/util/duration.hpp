#pragma once
// Durations as users write them: "500ms", "30s", "10m", "1h30m", "2h". A bare number means seconds.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hoist {

// nullopt for anything else, and for durations longer than about 31 years (10^12 ms).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// "1h30m", "45s", "250ms", "0s"
std::string format_duration(std::chrono::milliseconds d);

}  // namespace hoist
