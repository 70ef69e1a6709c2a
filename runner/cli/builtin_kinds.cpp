#include "runner/cli/builtin_kinds.hpp"

#include "steps/image/build_step.hpp"
#include "steps/image/copy_step.hpp"
#include "steps/image/tag_step.hpp"
#include "steps/manifest/bump_step.hpp"
#include "steps/notify/notify_step.hpp"
#include "steps/notify/promotion_hooks.hpp"
#include "steps/promote/promote_step.hpp"
#include "steps/run/run_step.hpp"

namespace hoist {

const StepRegistry& builtin_kinds() {
  static const StepRegistry registry = [] {
    StepRegistry r;
    r.add(make_run_step());
    r.add(make_manifest_bump_step());
    r.add(image::make_image_build_step());
    r.add(image::make_image_tag_step());
    r.add(image::make_image_copy_step());
    r.add(make_notify_step());
    // The promote kind posts the policy's on_promotion hooks through the notify kind's poster, wired here so that
    // neither kind includes the other.
    r.add(make_promote_step([](const std::vector<NotifyHook>& hooks, const PromotionNotice& notice,
                               const Resolver& resolve, Reporter& reporter, const CancelToken& cancel) {
      return post_promotion_hooks(hooks, notice, resolve, reporter, cancel);
    }));
    r.add(make_approve_step());
    return r;
  }();
  return registry;
}

}  // namespace hoist
