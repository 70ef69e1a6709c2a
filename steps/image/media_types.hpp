#pragma once
// The media types of what Hoist writes. A new image uses the manifest format of its base: Docker schema 2 when the
// base is a Docker schema 2 image (so its layers, typed application/vnd.docker.image.rootfs.diff.tar.gzip, are not
// mixed into an OCI manifest), OCI otherwise, and OCI for `scratch`. The one exception: zstd layers exist only in
// OCI, so an image with them is OCI whatever its base (a Docker base's layer descriptors are then carried over
// as they are, which registries and containerd accept). Indexes are always OCI indexes.

#include <string>
#include <string_view>

namespace hoist::image {

enum class ManifestFormat { oci, docker };

struct MediaTypes {
  std::string_view manifest;
  std::string_view config;
  std::string_view layer_gzip;
};

inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";

inline const MediaTypes& media_types(ManifestFormat f) {
  static const MediaTypes oci{"application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.config.v1+json",
                              "application/vnd.oci.image.layer.v1.tar+gzip"};
  static const MediaTypes docker{"application/vnd.docker.distribution.manifest.v2+json",
                                 "application/vnd.docker.container.image.v1+json",
                                 "application/vnd.docker.image.rootfs.diff.tar.gzip"};
  return f == ManifestFormat::docker ? docker : oci;
}

// The format to write on top of a base manifest of this media type.
inline ManifestFormat format_for_base(std::string_view base_manifest_media_type) {
  return base_manifest_media_type == media_types(ManifestFormat::docker).manifest ? ManifestFormat::docker
                                                                                   : ManifestFormat::oci;
}

}  // namespace hoist::image
