#pragma once
// Writing a new value in the style of the scalar it replaces: a quoted value stays quoted with the same quote, a
// plain value stays plain unless it would then read as something else (a number, a boolean, null, a comment...).

#include <optional>
#include <string>
#include <string_view>

#include "steps/yamledit/scalar_span.hpp"

namespace hoist::yamledit {

// True when `value` written plain reads back as the same string: not null/bool/number/timestamp-like (YAML 1.1 and
// 1.2 rules, since Helm and kubectl read YAML 1.1), no indicator at the start, no ": " or " #", no leading or
// trailing blanks, no control characters; in a flow collection (`flow`) also no , [ ] { }.
bool plain_is_safe(std::string_view value, bool flow);

// What a plain scalar resolves to under YAML 1.1 or 1.2 (the first that applies).
enum class PlainType { string, null, boolean, integer, floating, timestamp, other };
PlainType plain_type(std::string_view value);

// True when `value` can be written plain without being read as something else syntactically (indicators,
// comments, blanks, control characters), whatever type it then resolves to.
bool plain_syntax_is_safe(std::string_view value, bool flow);

// True when a plain scalar `value` resolves to a non-string (null, bool, int, float, timestamp) in YAML 1.1 or 1.2.
bool plain_resolves_to_non_string(std::string_view value);

std::string double_quoted(std::string_view value);  // "..." escaping \ " and control characters
std::string single_quoted(std::string_view value);  // '...' with ' written as ''

// `value` written in `style` (plain, single or double quoted). Plain stays plain when the value reads back as
// itself and keeps the type of the plain scalar it `replaces` (replicaCount: 2 → 3 stays an integer, tag: 1.0.0 →
// 1.5 is quoted: it would turn a string into a float); otherwise it becomes double-quoted. Single quotes fall back
// to double quotes for control characters, which they cannot hold.
std::string render_scalar(std::string_view value, ScalarStyle style, bool flow,
                          std::optional<std::string_view> replaces = std::nullopt);

}  // namespace hoist::yamledit
