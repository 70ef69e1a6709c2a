#pragma once
// Reads a pipeline file into the model and reports every shape problem at once: YAML syntax, unknown keys, wrong
// types, bad durations, unknown step kinds, and each kind's own checks of its `with`. Graph and reference checks
// (needs, cycles, variables) are in pipeline_check.hpp.

#include <string>
#include <string_view>

#include "runner/pipeline/kind_catalog.hpp"
#include "runner/pipeline/pipeline.hpp"
#include "runner/util/diagnostics.hpp"

namespace hoist {

Pipeline load_pipeline_file(const std::string& path, const KindCatalog& kinds, Diagnostics& diags);
Pipeline load_pipeline_text(std::string_view text, const std::string& file, const KindCatalog& kinds,
                            Diagnostics& diags);

}  // namespace hoist
