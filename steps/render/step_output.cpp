// See step_output.hpp.

#include "steps/render/step_output.hpp"

namespace hoist::rendering {

void report_preview(StepContext& ctx, const RenderPreview& preview) {
  ctx.outputs["objects"] = preview.summary();
  if (!preview.ran()) return;
  ctx.outputs["rendered"] = preview.json_text();
  for (const auto& line : preview.text_lines()) ctx.print(line, OutputStream::out);
}

}  // namespace hoist::rendering
