// Fuzzes load and check of a pipeline file (hoist validate without the file system): any bytes must give a
// pipeline or diagnostics, never a crash, a hang or a walk of an alias bomb, and every diagnostic names the file.
#include <set>

#include "fuzz/fuzz_target.hpp"
#include "runner/cli/builtin_kinds.hpp"
#include "runner/pipeline/pipeline_check.hpp"
#include "runner/pipeline/pipeline_loader.hpp"
#include "runner/util/errors.hpp"

HOIST_FUZZ_TARGET(pipeline_loader) {
  using namespace hoist;
  const std::string file = "fuzz.yaml";
  Diagnostics diags;
  Pipeline p = load_pipeline_text(fuzz::as_text(data, size), file, builtin_kinds(), diags);
  check_pipeline(p, builtin_kinds(), {"HOME", "PATH", "COMMIT_SHA"}, diags);
  for (const auto& d : diags.items()) {
    if (d.loc.file != file) fuzz::fail("a diagnostic without the file: " + d.message);
    if (d.message.empty()) fuzz::fail("an empty diagnostic");
  }
  (void)diags.format();
  return 0;
}
