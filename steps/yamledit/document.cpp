// Parsing a YAML file for editing; see document.hpp.

#include "steps/yamledit/document.hpp"

#include <algorithm>

#include "runner/errors.hpp"

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
  return d;
}

int line_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace hoist::yamledit
