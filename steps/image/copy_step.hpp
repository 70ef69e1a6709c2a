#pragma once
// The `image/copy` step: copies an image, or an index with every image it lists, to another repository or
// registry, keeping its digest: within one registry every blob is mounted, across registries blobs stream from
// the GET into the upload without touching the disk. Plan mode resolves the source digest and writes nothing.
//
//   with: {from: REF, to: REF, username, password, ca_file, insecure}      outputs: digest, ref
//
// `to` without a tag takes `from`'s tag (or only the digest when `from` names a digest). username/password are for
// the destination's registry (and the source's when it is the same one); other registries use docker's config.

#include <memory>

#include "runner/exec/step_kind.hpp"

namespace hoist::image {

std::unique_ptr<StepKind> make_image_copy_step();

}  // namespace hoist::image
