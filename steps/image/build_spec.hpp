#pragma once
// The `with` of an `image/build` step, checked and typed. validate_build_spec() runs at load time on the raw
// mapping, where scalars may still hold ${...}: values that hold a reference are type-checked only after they are
// resolved (parse_build_spec() on the resolved mapping at run time), everything else is checked now and reported
// at its file:line:col, all problems at once.
//
//   with:
//     base: scratch | REFERENCE          (required)
//     image: REPOSITORY                  (required)
//     tags: [TAG...] | TAG
//     layers: [{src, dest, mode?, uid?, gid?, exclude?}]   one layer per entry; mode in octal (0755)
//     entrypoint: [ARG...] | ARG         cmd: the same
//     env: {NAME: VALUE}                 labels: {KEY: VALUE}
//     workdir: PATH                      user: USER[:GROUP]
//     expose: [PORT[/tcp|udp|sctp]...]   platforms: [OS/ARCH[/VARIANT]...]
//     compression: gzip | zstd           compression_level: gzip 0..9, zstd 1..19 (default 1)
//     username, password, ca_file: STRING   insecure: BOOL

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "runner/pipeline/pipeline.hpp"
#include "runner/util/diagnostics.hpp"
#include "steps/image/compression.hpp"
#include "steps/image/image_config.hpp"
#include "steps/image/layer_plan.hpp"

namespace hoist::image {

struct BuildSpec {
  std::string base;                 // "scratch" or an image reference
  std::string image;
  std::vector<std::string> tags;
  std::vector<LayerEntry> layers;   // each one layer
  ConfigChanges config;             // revision/source are left for the step to fill
  std::vector<Platform> platforms;  // empty: the base's (or linux/amd64 for scratch)
  Compression compression = Compression::gzip;
  int compression_level = 1;
  // username and password are read by registry_access.hpp (RegistryAccess), not kept here: no second copy of a
  // password lives in memory.
  std::string ca_file;
  bool insecure = false;
};

// The keys `with` may hold, in the order of the table above.
const std::vector<std::string>& build_spec_keys();

// Reads `with` into a BuildSpec, adding a Diagnostic for every problem. The result is meaningful only when no
// problem was added.
BuildSpec parse_build_spec(const YAML::Node& with, const std::string& file, Diagnostics& diags);

// Load-time check of an image/build step: what parse_build_spec would report, for the unresolved `with`.
void validate_build_spec(const Step& step, const std::string& file, Diagnostics& diags);

}  // namespace hoist::image
