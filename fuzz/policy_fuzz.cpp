// Fuzzes the hoist.yaml loader and what the gate asks of a loaded policy: any bytes give a policy or diagnostics,
// and a policy without diagnostics answers promotion_order, approvers_of, file_for and image_for without crashing.
#include "fuzz/fuzz_target.hpp"
#include "runner/util/errors.hpp"
#include "steps/gate/policy.hpp"

HOIST_FUZZ_TARGET(policy) {
  using namespace hoist;
  Diagnostics diags;
  promote::Policy policy = promote::load_policy(fuzz::as_text(data, size), "hoist.yaml", diags);
  for (const auto& d : diags.items())
    if (d.loc.file != "hoist.yaml") fuzz::fail("a diagnostic without the file: " + d.message);
  if (!diags.empty()) return 0;
  if (policy.promotion_order().size() != policy.environments.size())
    fuzz::fail("a valid policy whose promotion order leaves environments out");
  for (const auto& env : policy.environments) {
    (void)policy.approvers_of(env);
    (void)policy.file_for(env.name, "app");
    (void)policy.shape_for("app");
    try {
      (void)policy.image_for(env.name, "app");
    } catch (const InputError&) {  // no image configured: a documented refusal
    }
  }
  return 0;
}
