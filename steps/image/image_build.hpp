#pragma once
// An image/build from its typed spec to images in the content store, minus the registry: layers are built once
// (the app's files are platform-neutral) and reused for every platform; each platform gets its base (through
// BaseLookup, which the registry client implements; scratch needs none), its config and its manifest; several
// platforms get an OCI index over them. What the step then pushes, or writes as an OCI layout, is `top`.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "steps/image/build_spec.hpp"
#include "steps/image/content_store.hpp"
#include "steps/image/image_assembly.hpp"
#include "steps/image/layer_cache.hpp"

namespace hoist::image {

// The base image for one platform; nullopt only for `scratch`. Throws hoist::Error when the base has no such
// platform.
using BaseLookup = std::function<std::optional<BaseImage>(const std::string& base, const Platform& platform)>;

struct BuildContext {
  std::filesystem::path build_dir;  // layer srcs are relative to it
  long long created = 0;            // SOURCE_DATE_EPOCH or 0: layer mtimes and config times
  std::string revision;             // COMMIT_SHA → org.opencontainers.image.revision
  std::string source;               // REPO_URL → org.opencontainers.image.source
  unsigned threads = 0;             // compression threads, 0: one per core
};

struct BuiltImage {
  Descriptor top;                      // the manifest, or the index when `platforms` lists several
  std::vector<AssembledImage> images;  // one per platform
  std::vector<LayerBlob> layers;       // the new layers, in order
};

BuiltImage build_image(const BuildSpec& spec, const BuildContext& context, const BaseLookup& bases,
                       ContentStore& store, LayerCache& cache);

// A BaseLookup for `scratch` only: any other base is an InputError (used until the registry client exists, and in
// tests).
std::optional<BaseImage> scratch_only(const std::string& base, const Platform& platform);

}  // namespace hoist::image
