#include "runner/util/diagnostics.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace hoist {

std::string to_string(const Location& loc) {
  std::string out = loc.file;
  if (loc.line > 0) {
    out += ":" + std::to_string(loc.line);
    if (loc.column > 0) out += ":" + std::to_string(loc.column);
  }
  return out;
}

std::string to_string(const Diagnostic& d) {
  const std::string where = to_string(d.loc);
  return where.empty() ? d.message : where + ": " + d.message;
}

void Diagnostics::add(Location loc, std::string message) {
  items_.push_back(Diagnostic{std::move(loc), std::move(message)});
}

std::string Diagnostics::format() const {
  std::vector<Diagnostic> sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.loc.file, a.loc.line, a.loc.column) < std::tie(b.loc.file, b.loc.line, b.loc.column);
  });
  // The same problem at the same place is said once (several aliases of one bad node report it once each).
  std::set<std::string> said;
  std::string out;
  for (const auto& d : sorted)
    if (said.insert(to_string(d)).second) out += to_string(d) + "\n";
  return out;
}

}  // namespace hoist
