#pragma once
// The `image/build` step: builds an image from a base (or scratch) and local files into the content store, then
// pushes it through the registry API: the base's layers are mounted (or streamed) into the target repository, the
// new blobs uploaded unless already there, each platform manifest put by digest, and the tags put last, so a
// failure never leaves a tag pointing at an incomplete image. Plan mode builds locally and only asks the registry
// what it already has. `hoist image build` runs the same step from flags.

#include <memory>

#include "runner/exec/step_kind.hpp"

namespace hoist::image {

std::unique_ptr<StepKind> make_image_build_step();

}  // namespace hoist::image
