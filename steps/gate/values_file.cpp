// See values_file.hpp.

#include "steps/gate/values_file.hpp"

#include <yaml-cpp/yaml.h>

#include "runner/util/errors.hpp"
#include "steps/yamledit/key_path.hpp"

namespace hoist::promote {

std::optional<std::string> read_value(std::string_view text, const std::string& key_path, const std::string& file) {
  std::vector<yamledit::PathSegment> path = yamledit::parse_key_path(key_path);
  YAML::Node node;
  try {
    node.reset(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    throw InputError(file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) + ": " +
                     e.msg);
  }
  for (const auto& seg : path) {
    if (!node.IsDefined() || node.IsNull()) return std::nullopt;
    switch (seg.kind) {
      case yamledit::PathSegment::Kind::key:
        if (!node.IsMap()) return std::nullopt;
        node.reset(node[seg.key]);
        break;
      case yamledit::PathSegment::Kind::index:
        if (!node.IsSequence() || seg.index >= node.size()) return std::nullopt;
        node.reset(node[seg.index]);
        break;
      case yamledit::PathSegment::Kind::match: {
        if (!node.IsSequence()) return std::nullopt;
        YAML::Node found;
        for (const auto& item : node)
          if (item.IsMap() && item[seg.key] && item[seg.key].IsScalar() && item[seg.key].Scalar() == seg.value) {
            found.reset(item);
            break;
          }
        node.reset(found);
        break;
      }
    }
  }
  if (!node.IsDefined() || !node.IsScalar()) return std::nullopt;
  return node.Scalar();
}

std::string digest_key_for(const std::string& image_key) {
  std::vector<yamledit::PathSegment> path = yamledit::parse_key_path(image_key);
  if (path.empty() || path.back().kind != yamledit::PathSegment::Kind::key) return "";
  path.back().key = "digest";
  return yamledit::to_string(path);
}

}  // namespace hoist::promote
