#pragma once
// A pipeline's `paths:` key: the files the pipeline is about, as globs relative to the repository root (see
// runner/util/path_glob.hpp), e.g. `paths: ["services/billing/**", "charts/billing/*.yaml"]`. Only `hoist ci`
// uses them (a service's job runs when one of them changed); the loader checks them with every other key, and
// `hoist ci` reads them again with this same function (Pipeline does not carry them).

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "runner/util/diagnostics.hpp"

namespace hoist {

// The globs under `paths` of a pipeline file's root mapping (none when absent). A non-list, a non-string entry, an
// empty, absolute or '..' path goes to `diags` with its place.
std::vector<std::string> read_paths_key(const YAML::Node& root, const std::string& file, Diagnostics& diags);

}  // namespace hoist
