#pragma once
// Manifests as the registry client sees them: exact bytes (the digest is the SHA-256 of these bytes and nothing
// else: never re-serialise a manifest you mean to copy), their media type, and the descriptors they point to.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hoist::registry {

namespace media_type {
inline constexpr std::string_view docker_manifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view docker_manifest_list = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view oci_manifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view oci_index = "application/vnd.oci.image.index.v1+json";
}  // namespace media_type

struct Platform {
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant;  // empty: any
};

struct Descriptor {
  std::string media_type;
  std::string digest;
  std::uint64_t size = 0;
  std::optional<Platform> platform;  // entries of an index only
};

struct Manifest {
  std::string media_type;  // from the document's mediaType, else the response's Content-Type
  std::string bytes;       // exactly as received or as to be sent
  std::string digest;      // sha256 of bytes

  // Wraps bytes (media type read from the document unless given); computes the digest.
  static Manifest from_bytes(std::string bytes, std::string_view media_type_hint = {});
  bool is_index() const;
  // An image manifest's config and layers, in that order. Throws hoist::Error for an index or a malformed document.
  std::vector<Descriptor> blobs() const;
  // An index's manifests. Throws hoist::Error for an image manifest or a malformed document.
  std::vector<Descriptor> children() const;
};

bool is_index_media_type(std::string_view media_type);

// "linux/amd64", "linux/arm64/v8" -> Platform. Throws hoist::InputError naming the value otherwise.
Platform parse_platform(std::string_view text);
// "linux/arm64/v8".
std::string to_string(const Platform& platform);

// The entry of an index for `platform` (variant compared only when asked for), or nullopt.
std::optional<Descriptor> pick_platform(const Manifest& index, const Platform& platform = {});

}  // namespace hoist::registry
