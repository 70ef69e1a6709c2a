// See image_assembly.hpp.
#include "steps/image/image_assembly.hpp"

#include "runner/util/errors.hpp"

namespace hoist::image {

AssembledImage assemble_image(const std::optional<BaseImage>& base, const Platform& platform,
                              const ConfigChanges& changes, const std::vector<NewLayer>& layers,
                              const Provenance& provenance, ContentStore& store) {
  const long long created = provenance.created;
  Provenance annotated = provenance;
  AssembledImage out;
  std::vector<Descriptor> layer_descriptors;
  if (base) {
    out.format = format_for_base(base->manifest.value("mediaType", ""));
    if (!base->manifest.contains("layers") || !base->manifest["layers"].is_array())
      throw Error("the base image's manifest has no layers list");
    for (const auto& l : base->manifest["layers"]) layer_descriptors.push_back(descriptor_from_json(l));
    annotated.base_name = base->name;
    annotated.base_digest = base->digest;
  }
  // Docker schema 2 has no zstd layer type: zstd layers always go into an OCI manifest.
  for (const auto& l : layers)
    if (l.blob.compression == Compression::zstd) out.format = ManifestFormat::oci;
  const MediaTypes& types = media_types(out.format);

  std::vector<HistoryLayer> history;
  for (const auto& l : layers) {
    history.push_back({l.blob.diff_id, l.created_by});
    std::string_view type = l.blob.compression == Compression::zstd ? kOciLayerZstd : types.layer_gzip;
    layer_descriptors.push_back(Descriptor{std::string(type), l.blob.digest, l.blob.size, {}, {}});
  }
  std::optional<nlohmann::json> base_config;
  if (base) base_config = base->config;
  std::string config_bytes = make_config(base_config, platform, changes, history, created).dump();
  out.config = Descriptor{std::string(types.config), store.put(config_bytes), config_bytes.size(), {}, {}};

  std::string manifest_bytes =
      make_manifest(out.format, out.config, layer_descriptors, provenance_annotations(annotated));
  out.manifest = Descriptor{std::string(types.manifest), store.put(manifest_bytes), manifest_bytes.size(), {}, {}};
  // The platform the config really describes (a base may say arm64 although linux/amd64 was asked for).
  nlohmann::json cfg = nlohmann::json::parse(config_bytes);
  Platform p;
  p.os = cfg.value("os", platform.os);
  p.architecture = cfg.value("architecture", platform.architecture);
  p.variant = cfg.value("variant", platform.variant);
  out.manifest.platform = p;
  return out;
}

Descriptor assemble_index(const std::vector<Descriptor>& manifests, const Provenance& provenance, ContentStore& store) {
  std::string bytes = make_index(manifests, provenance_annotations(provenance));
  return Descriptor{std::string(kOciIndex), store.put(bytes), bytes.size(), {}, {}};
}

}  // namespace hoist::image
