#pragma once
// What an `on_promotion` notification tells about one promotion or rollback that moved an environment. Made by
// `hoist promote` / `hoist rollback` from their plan (steps/gate/promotion.hpp) and, in a pipeline, from a
// `promote` step's outputs (steps/promote/promote_step.hpp); posted by steps/notify/promotion_hooks.hpp.
// It is the contract between two step kinds, so it lives here: the `promote` kind is handed a PostPromotionHooks by
// runner/cli/builtin_kinds instead of including the `notify` kind (ARCHITECTURE.md, rules of dependency).

#include <functional>
#include <string>
#include <vector>

#include "runner/pipeline/pipeline.hpp"
#include "runner/pipeline/template.hpp"
#include "runner/report/reporter.hpp"
#include "runner/util/cancel.hpp"

namespace hoist {

struct PromotionNotice {
  std::string app;
  std::string from;                    // the environment promoted from; empty for a rollback
  std::string to;                      // the environment that moved
  std::string tag;                     // what it runs now
  std::string digest;
  std::string who;                     // the promoter
  std::vector<std::string> approvers;  // the approvals the gate counted
  std::string pipeline_url;
  std::string change;                  // "image.tag: 1.0.0 -> 1.1.0, digest sha256:0000… -> sha256:1111…"
  bool rollback() const { return from.empty(); }
};

// Posts every `on_promotion` hook of `hooks` about `notice`, webhook and text rendered with `resolve`, and reports
// each outcome to `reporter` (steps/notify/promotion_hooks.hpp: post_promotion_hooks).
using PostPromotionHooks = std::function<std::vector<NotificationResult>(
    const std::vector<NotifyHook>& hooks, const PromotionNotice& notice, const Resolver& resolve, Reporter& reporter,
    const CancelToken& cancel)>;

}  // namespace hoist
