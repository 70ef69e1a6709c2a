#pragma once
// The edit oracle: proves an edited file means what the original meant except at the edited places. The editor runs
// it after every edit and refuses the result otherwise; a fuzzer can run it on anything the editor produces.

#include <string>
#include <string_view>
#include <vector>

#include "steps/yamledit/key_path.hpp"

namespace hoist::yamledit {

struct ExpectedValue {
  std::size_t document = 0;        // 0-based index of the YAML document
  std::vector<PathSegment> path;   // concrete: key and index segments only
  std::string value;               // the scalar that must be there now
};

// Throws hoist::InputError "FILE: ..." unless `after` parses, has as many documents as `before`, holds each
// expected value as a scalar at its path, and is equal to `before` everywhere else: same node kinds, same keys in
// the same order, same scalars with the same tags. Keys missing in `before` may appear in `after` only along an
// expected path (created keys). Places that share the edited node through an alias must hold the new value too.
void check_edit(std::string_view before, std::string_view after, const std::vector<ExpectedValue>& expected,
                const std::string& file);

}  // namespace hoist::yamledit
