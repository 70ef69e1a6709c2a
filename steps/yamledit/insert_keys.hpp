#pragma once
// Where and how `create: true` writes missing keys into a block mapping, in the file's own layout.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "steps/yamledit/document.hpp"

namespace hoist::yamledit {

struct Insertion {
  std::size_t offset = 0;  // where the bytes go in the original text
  std::string bytes;       // the new lines
  int value_line = 0;      // 1-based line of the new value in the result
};

// The file's indentation step: the smallest positive column difference between a block mapping's keys and the keys
// of a block mapping nested under one of them; 2 when the file has no such nesting.
int indent_step(const Documents& docs);

// New lines for `keys` (each nested under the previous, the last holding `value`, already rendered) at the end of
// block mapping `map`: after the last line that belongs to its last entry (a line indented deeper than the map's
// keys, or a `- ` item at the keys' column), so comments and blank lines that follow the mapping stay after the new
// keys. Uses the map's key column, `step` per level and the file's line ending (CRLF when the file has any).
Insertion plan_insertion(std::string_view text, const YAML::Node& map, const std::vector<std::string>& keys,
                         const std::string& value, int step);

// `KEY: VALUE` (VALUE already rendered for a flow collection) as the last entry of the flow mapping whose node
// starts at byte MAP_OFFSET (its `{`, or an anchor or tag before it): right after its last entry, on that entry's
// line, so every other byte stays (`{name: web, newTag: "1.0"}` -> `{name: web, newTag: "1.0", digest: "sha256:..."}`;
// `{}` -> `{digest: ...}`). Quoted scalars and comments are skipped when looking for the closing `}`. nullopt when
// no mapping starts there or it does not close.
std::optional<Insertion> plan_flow_insertion(std::string_view text, std::size_t map_offset, const std::string& key,
                                             const std::string& value);

}  // namespace hoist::yamledit
