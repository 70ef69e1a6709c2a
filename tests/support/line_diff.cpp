// See line_diff.hpp.

#include "tests/support/line_diff.hpp"

namespace hoist::test {

namespace {

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, nl + 1 - start));
    start = nl + 1;
  }
}

}  // namespace

std::string only_values_changed(const std::string& before, const std::string& after,
                                const std::vector<ValueSwap>& swaps) {
  std::vector<std::string> a = lines(before), b = lines(after);
  if (a.size() != b.size())
    return "line count changed: " + std::to_string(a.size()) + " -> " + std::to_string(b.size());
  std::size_t next = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (next >= swaps.size()) return "unexpected change on line " + std::to_string(i + 1) + ": " + b[i];
    const ValueSwap& s = swaps[next++];
    bool ok = false;
    for (std::size_t pos = a[i].find(s.old_bytes); pos != std::string::npos && !ok;
         pos = a[i].find(s.old_bytes, pos + 1)) {
      std::string expected = a[i];
      expected.replace(pos, s.old_bytes.size(), s.new_bytes);
      ok = expected == b[i];
    }
    if (!ok) return "line " + std::to_string(i + 1) + " is not '" + s.old_bytes + "' -> '" + s.new_bytes + "': " + b[i];
  }
  if (next != swaps.size()) return "only " + std::to_string(next) + " of " + std::to_string(swaps.size()) + " changes";
  return "";
}

}  // namespace hoist::test
