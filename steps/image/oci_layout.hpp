#pragma once
// Writes images from the content store as an OCI image layout directory
// (https://github.com/opencontainers/image-spec/blob/main/image-layout.md): `oci-layout`, `index.json` and
// `blobs/sha256/...`, readable by skopeo (`oci:DIR:TAG`), umoci and containerd. Blobs are hard-linked from the store
// when both sit on one filesystem, copied otherwise. Every blob a manifest or index refers to must be in the store:
// layers of a base image pulled from a registry are not, so a layout over a registry base needs them fetched first.

#include <filesystem>
#include <string>
#include <vector>

#include "steps/image/content_store.hpp"
#include "steps/image/manifest.hpp"

namespace hoist::image {

struct LayoutRef {
  Descriptor descriptor;  // a manifest or an index in the store
  std::string name;       // the ref name (a tag), stored as org.opencontainers.image.ref.name
};

// Adds `refs` to the layout in `dir` (created when missing). Entries of an existing index.json with other ref
// names are kept; one with the same name is replaced. Throws hoist::Error naming a missing blob.
void write_oci_layout(const std::filesystem::path& dir, const ContentStore& store, const std::vector<LayoutRef>& refs);

}  // namespace hoist::image
