#pragma once
// The `image/tag` step: puts an existing image's manifest (named by tag or digest) under more tags in the same
// repository. No blob moves, the digest stays. Plan mode resolves the digest with a GET and writes nothing.
//
//   with: {image: REF, tags: [TAG...] | TAG, username, password, ca_file, insecure}     outputs: digest, ref

#include <memory>

#include "runner/exec/step_kind.hpp"

namespace hoist::image {

std::unique_ptr<StepKind> make_image_tag_step();

}  // namespace hoist::image
