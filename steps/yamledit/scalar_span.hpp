#pragma once
// The exact bytes of one scalar in the original text, so an edit can replace the value and nothing else.
// yaml-cpp tells where a node starts (Mark::pos) but not where it ends; scalar_span.cpp explains how the end is found.

#include <cstddef>
#include <string>
#include <string_view>

namespace hoist::yamledit {

enum class ScalarStyle { plain, single_quoted, double_quoted, literal, folded };

struct ScalarSpan {
  std::size_t begin = 0;  // the first byte of the scalar (its opening quote when quoted)
  std::size_t end = 0;    // one past its last byte (past the closing quote when quoted)
  ScalarStyle style = ScalarStyle::plain;
  std::string problem;    // non-empty when the scalar cannot be edited in place: why ("a block scalar (|)")
};

// The span of the scalar whose yaml-cpp mark is at `mark_pos` (which may point at its anchor or tag). `flow` is
// true inside a flow collection, where plain scalars also end at , [ ] { }.
ScalarSpan find_scalar_span(std::string_view text, std::size_t mark_pos, bool flow);

// The value the span's bytes denote (quotes removed, escapes decoded). Single-line spans only; the editor compares
// it with yaml-cpp's value to prove the span is right.
std::string decode_scalar(std::string_view text, const ScalarSpan& span);

}  // namespace hoist::yamledit
