#pragma once
// Key paths name one value (or several) in a YAML document: "image.tag", "sidecars[0].image.tag",
// "images[name=web].newTag", "metadata.annotations.\"app.kubernetes.io/version\"". The manifest/bump step and
// `hoist bump --set` take them from users, so parsing reports the exact column of a mistake.
//
// Grammar:
//   path     := first ( '.' key | '[' selector ']' )*
//   first    := key | '[' selector ']'
//   key      := bare | quoted          bare: one or more characters other than . [ ] " and whitespace
//                                      quoted: "..." with \" and \\ escapes (keys holding dots, spaces, brackets)
//   selector := digits                 the item at that index of a sequence (0-based)
//             | key '=' value          every mapping item of a sequence whose `key` is the scalar `value`
//             | quoted                 ["a.b"]: the same as ."a.b" (a key, written the JSON-path way)
//   value    := quoted | any characters other than ] (taken verbatim, not trimmed)

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hoist::yamledit {

struct PathSegment {
  enum class Kind { key, index, match };
  Kind kind = Kind::key;
  std::string key;         // key: the mapping key; match: the field compared in each item
  std::size_t index = 0;   // index: the sequence position
  std::string value;       // match: the value the field must hold
  int column = 1;          // 1-based column of the segment in the path text (for messages)

  bool operator==(const PathSegment& o) const {
    return kind == o.kind && key == o.key && index == o.index && value == o.value;
  }
};

// One concrete step: the mapping key K, or the sequence item at I.
PathSegment key_seg(const std::string& key);
PathSegment index_seg(std::size_t index);

// Parses a key path; throws hoist::InputError "bad key path 'PATH': MESSAGE at column N" on bad syntax.
std::vector<PathSegment> parse_key_path(std::string_view path);

// The readable form of segments, "a.b[0].c[name=x]", quoting keys that need it so parse_key_path reads it back.
std::string to_string(const std::vector<PathSegment>& path);
std::string to_string(const PathSegment& segment, bool first);

}  // namespace hoist::yamledit
