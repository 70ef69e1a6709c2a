#pragma once
// Small helpers for checking YAML input with yaml-cpp and reporting problems at their exact place. Used by the
// pipeline loader and by every step kind's validate().

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/util/diagnostics.hpp"

namespace hoist {

// yaml-cpp's message for a parse error of `text`, made useful where it is not: its nesting limit says "bad file",
// and a tab in indentation gives "illegal block entry" or similar without naming the tab.
std::string yaml_error_message(const YAML::Exception& e, std::string_view text);

// The node's place in `file` (1-based line and column).
Location location_of(const YAML::Node& node, const std::string& file);

// "a mapping", "a sequence", "a string", "null".
std::string yaml_type_name(const YAML::Node& node);

// True when the scalar was written in quotes (yaml-cpp gives quoted scalars the non-specific tag "!").
bool is_quoted(const YAML::Node& node);

// Reports keys of `map` that are not in `allowed` (with a did-you-mean) and keys given twice. `what` names the
// mapping in messages ("step", "pipeline", "image/build's with"). Does nothing when `map` is not a mapping.
void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what,
                const std::string& file, Diagnostics& diags);

// Reports keys given twice in `map`.
void check_duplicate_keys(const YAML::Node& map, const std::string& what, const std::string& file, Diagnostics& diags);

// Typed readers: report a type error at the node and return nullopt when the node has the wrong type.
// `key` names the value in messages.
std::optional<std::string> read_string(const YAML::Node& node, const std::string& key, const std::string& file,
                                       Diagnostics& diags);
std::optional<long long> read_integer(const YAML::Node& node, const std::string& key, const std::string& file,
                                      Diagnostics& diags);
std::optional<bool> read_bool(const YAML::Node& node, const std::string& key, const std::string& file,
                              Diagnostics& diags);
// A sequence of strings; a single string is accepted as a one-element list when `allow_single` is true.
std::optional<std::vector<std::string>> read_string_list(const YAML::Node& node, const std::string& key,
                                                         const std::string& file, Diagnostics& diags,
                                                         bool allow_single = false);
// yaml-cpp shares an anchored node among its aliases, so a small file can describe a tree of billions of nodes
// ("billion laughs": ten aliases of ten aliases of ...). Any code that walks a tree recursively visits every
// repetition. This counts the nodes of the expanded tree, stopping as soon as the count passes `limit`, and says
// whether it stayed within it; walk a tree only after it passed.
// `budget` is what is left: it is lowered by the count, so several trees can share one budget.
// A tree deeper than yaml-cpp's own nesting limit fails too: only aliases make one, and a node that holds an alias
// of itself (`&v [*v]`) is infinitely deep; counting it recursively overflowed the stack (found by fuzzing).
inline constexpr std::size_t kMaxExpandedNodes = 100000;
inline constexpr std::size_t kMaxExpandedDepth = 2000;
bool spend_expanded_size(const YAML::Node& node, std::size_t& budget);
inline bool within_expanded_size(const YAML::Node& node, std::size_t limit = kMaxExpandedNodes) {
  return spend_expanded_size(node, limit);
}

// A mapping is reported as a type error when `node` is not one; returns whether it is.
bool expect_map(const YAML::Node& node, const std::string& key, const std::string& file, Diagnostics& diags);

}  // namespace hoist
