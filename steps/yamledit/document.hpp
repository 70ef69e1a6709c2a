#pragma once
// The parsed documents of one YAML file, with a way back from yaml-cpp's marks to bytes of the original text.
// yaml-cpp does not count a UTF-8 byte order mark in Mark::pos, so the BOM is stripped before parsing and its
// length added back when a mark is turned into an offset.

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace hoist::yamledit {

struct Documents {
  std::vector<YAML::Node> docs;
  std::size_t bom = 0;  // bytes of the byte order mark before what yaml-cpp parsed (0 or 3)

  std::size_t offset(const YAML::Mark& mark) const { return bom + static_cast<std::size_t>(mark.pos); }
};

// A manifest file may be large (generated CRDs), but not a tree of millions of values: the editor's walkers and
// the oracle visit every repetition of an aliased node, so a file whose aliases expand past this is refused.
inline constexpr std::size_t kMaxManifestNodes = 2000000;
// And at most this many documents (see check_document_count in document.cpp: yaml-cpp can loop on bad input).
inline constexpr std::size_t kMaxDocuments = 10000;

// Parses every document of `text`; throws hoist::InputError "FILE:LINE:COL: MESSAGE" when it does not parse, or
// "FILE: holds more than ... values once its aliases are expanded" (see kMaxManifestNodes), or
// "FILE: more than 10000 YAML documents".
Documents load_documents(std::string_view text, const std::string& file);

// 1-based line of byte `offset` in `text`.
int line_of(std::string_view text, std::size_t offset);

}  // namespace hoist::yamledit
