#pragma once
// Sizes and rates as people read them in output lines: "512 B", "1.2 KiB", "12.3 MiB", "1.1 GiB", "45.0 MiB/s".

#include <cstdint>
#include <string>

namespace hoist {

std::string human_size(std::uint64_t bytes);
// Bytes per second; "-" when the rate is unknown (zero, negative or not finite).
std::string human_rate(double bytes_per_second);

}  // namespace hoist
