// Parsing a YAML file for editing; see document.hpp.

#include "steps/yamledit/document.hpp"

#include <algorithm>

#include "runner/errors.hpp"
#include "runner/yaml_check.hpp"

namespace hoist::yamledit {

Documents load_documents(std::string_view text, const std::string& file) {
  Documents d;
  if (text.starts_with("\xEF\xBB\xBF")) d.bom = 3;
  try {
    d.docs = YAML::LoadAll(std::string(text.substr(d.bom)));
  } catch (const YAML::Exception& e) {
    throw InputError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " +
                     e.msg);
  }
  // The editor's walkers and the oracle visit every repetition of an aliased node; refuse what would not end.
  std::size_t left = kMaxManifestNodes;
  for (const YAML::Node& doc : d.docs) {
    if (!spend_expanded_size(doc, left))
      throw InputError(file + ": holds more than " + std::to_string(kMaxManifestNodes) +
                       " values once its aliases are expanded; refusing to edit it");
  }
  return d;
}

int line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace hoist::yamledit
