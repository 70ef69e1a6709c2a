#pragma once
// Image manifests and indexes as bytes (https://github.com/opencontainers/image-spec/blob/main/manifest.md,
// image-index.md; Docker schema 2 has the same shape). The bytes are what gets pushed and hashed, so they are
// produced here once, deterministically (sorted keys, no whitespace), and never re-serialised afterwards.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "steps/image/image_config.hpp"
#include "steps/image/media_types.hpp"

namespace hoist::image {

struct Descriptor {
  std::string media_type;
  std::string digest;
  std::uint64_t size = 0;
  std::optional<Platform> platform;                // in an index
  std::map<std::string, std::string> annotations;  // e.g. org.opencontainers.image.ref.name
};

nlohmann::json to_json(const Descriptor& d);
// Reads a descriptor from a manifest's or index's JSON; throws hoist::Error when a field is missing.
Descriptor descriptor_from_json(const nlohmann::json& j);

// `annotations` go into OCI manifests and indexes when not empty (Docker schema 2 has no such field).
std::string make_manifest(ManifestFormat format, const Descriptor& config, const std::vector<Descriptor>& layers,
                          const std::map<std::string, std::string>& annotations = {});
std::string make_index(const std::vector<Descriptor>& manifests,
                       const std::map<std::string, std::string>& annotations = {});

}  // namespace hoist::image
