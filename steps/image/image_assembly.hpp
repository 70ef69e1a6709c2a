#pragma once
// Putting an image together from its parts once its layers are in the content store: the config (base config
// changed, new diff_ids and history appended) and the manifest (the base's layer descriptors, then the new ones),
// both stored as blobs. The registry client supplies the base (config and manifest JSON) and pushes the result;
// nothing here talks to a registry.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "steps/image/annotations.hpp"
#include "steps/image/content_store.hpp"
#include "steps/image/image_config.hpp"
#include "steps/image/layer_cache.hpp"
#include "steps/image/manifest.hpp"

namespace hoist::image {

struct BaseImage {
  nlohmann::json manifest;  // its `mediaType` picks the output format; its `layers` are carried over
  nlohmann::json config;
  std::string name;         // the reference as resolved ("registry/repo:tag"): the base.name annotation
  std::string digest;       // of `manifest`: the base.digest annotation
};

struct NewLayer {
  LayerBlob blob;
  std::string created_by;  // history text
};

struct AssembledImage {
  Descriptor manifest;  // with `platform` set, ready to go into an index
  Descriptor config;
  ManifestFormat format = ManifestFormat::oci;
};

// Stores the config and the manifest in `store`. `base` nullopt means scratch. The manifest is annotated with
// `provenance` plus the base's name and digest (annotations.hpp). Throws hoist::Error for a malformed base and
// hoist::InputError as make_config does.
AssembledImage assemble_image(const std::optional<BaseImage>& base, const Platform& platform,
                              const ConfigChanges& changes, const std::vector<NewLayer>& layers,
                              const Provenance& provenance, ContentStore& store);

// Stores an OCI index over `manifests` (each with its platform), annotated with `provenance`, and returns its
// descriptor.
Descriptor assemble_index(const std::vector<Descriptor>& manifests, const Provenance& provenance, ContentStore& store);

}  // namespace hoist::image
