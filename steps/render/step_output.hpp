#pragma once
// What a step (manifest/bump) shows of a render preview: the text lines on stdout after the values diff, and two
// outputs: `objects` (the count lines, "1 object changes: 1 Deployment") and `rendered` (the preview as JSON, so
// `--output json` carries the objects and fields as data).

#include "runner/exec/step_kind.hpp"
#include "steps/render/preview.hpp"

namespace hoist::rendering {

void report_preview(StepContext& ctx, const RenderPreview& preview);

}  // namespace hoist::rendering
