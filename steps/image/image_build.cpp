// See image_build.hpp.
#include "steps/image/image_build.hpp"

#include "runner/util/errors.hpp"

namespace hoist::image {

std::optional<BaseImage> scratch_only(const std::string& base, const Platform&) {
  if (base == "scratch") return std::nullopt;
  throw InputError("base '" + base + "' needs a registry; only 'scratch' can be built without one");
}

BuiltImage build_image(const BuildSpec& spec, const BuildContext& context, const BaseLookup& bases,
                       ContentStore& store, LayerCache& cache) {
  BuiltImage out;
  LayerOptions options{context.created, spec.compression_level, context.threads, spec.compression};
  std::vector<NewLayer> layers;
  for (const auto& entry : spec.layers) {
    out.layers.push_back(cache.build({entry}, context.build_dir, options));
    layers.push_back({out.layers.back(), "hoist image/build: COPY " + entry.src + " " + entry.dest});
  }

  ConfigChanges changes = spec.config;
  changes.revision = context.revision;
  changes.source = context.source;
  Provenance provenance{context.created, context.source, context.revision, "", ""};
  std::vector<Platform> platforms = spec.platforms.empty() ? std::vector<Platform>{Platform{}} : spec.platforms;
  for (const auto& platform : platforms) {
    std::optional<BaseImage> base = spec.base == "scratch" ? std::nullopt : bases(spec.base, platform);
    if (base) provenance.base_name = base->name;
    out.images.push_back(assemble_image(base, platform, changes, layers, provenance, store));
  }

  if (spec.platforms.size() <= 1) {
    out.top = out.images.front().manifest;
    out.top.platform.reset();
  } else {
    std::vector<Descriptor> manifests;
    for (const auto& image : out.images) manifests.push_back(image.manifest);
    out.top = assemble_index(manifests, provenance, store);
  }
  return out;
}

}  // namespace hoist::image
