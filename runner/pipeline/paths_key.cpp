// See paths_key.hpp.
#include "runner/pipeline/paths_key.hpp"

#include "runner/pipeline/yaml_check.hpp"

namespace hoist {

std::vector<std::string> read_paths_key(const YAML::Node& root, const std::string& file, Diagnostics& diags) {
  std::vector<std::string> out;
  const YAML::Node paths = root["paths"];
  if (!paths) return out;
  auto list = read_string_list(paths, "paths", file, diags);
  if (!list) return out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string& path = (*list)[i];
    if (path.empty() || path.front() == '/' || ("/" + path + "/").find("/../") != std::string::npos) {
      diags.add(location_of(paths[i], file),
                "'paths' holds globs relative to the repository root, without '..', got '" + path + "'");
      continue;
    }
    out.push_back(path);
  }
  return out;
}

}  // namespace hoist
