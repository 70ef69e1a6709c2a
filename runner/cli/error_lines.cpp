// See error_lines.hpp.

#include "runner/cli/error_lines.hpp"

#include <sstream>

namespace hoist {

std::string error_lines(const Diagnostics& diagnostics) {
  std::istringstream lines(diagnostics.format());
  std::string out;
  for (std::string line; std::getline(lines, line);) out += std::string(kErrorPrefix) + line + "\n";
  return out;
}

}  // namespace hoist
