#pragma once
// Byte-exactness checks for the YAML editor's tests: an edit must change the value's bytes and nothing else.

#include <string>
#include <vector>

namespace hoist::test {

struct ValueSwap {
  std::string old_bytes;  // the value as written before, quotes included: "\"1.0\""
  std::string new_bytes;  // as written after
};

// "" when `after` is `before` with exactly one contiguous span replaced per swap, in line order: each differing
// line is the same line with one occurrence of old_bytes replaced by new_bytes. Otherwise what differs.
std::string only_values_changed(const std::string& before, const std::string& after,
                                const std::vector<ValueSwap>& swaps);

}  // namespace hoist::test
