#pragma once
// What a promotion may write into a values file, a commit message or a trailer, checked before anything is written:
// a tag from the source environment's file is attacker-reachable text (anyone who can push to that branch wrote it),
// and a newline in it would start new trailer lines ("Hoist-Approved-By: mallory") in the target's commit.

#include <string>
#include <string_view>

namespace hoist::promote {

// The OCI distribution tag grammar: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}. Checked by hand (no std::regex on user text).
bool is_oci_tag(std::string_view text);

// True when TEXT holds a control character (below 0x20, or 0x7f): no line breaks, tabs or escapes.
bool has_control_chars(std::string_view text);

// TEXT for a message: control characters as \n, \r, \t or \xNN, at most 80 characters then "...".
std::string printable(std::string_view text);

}  // namespace hoist::promote
