#pragma once
// What an `on_promotion` notification tells about one promotion or rollback that moved an environment. Made by
// `hoist promote` / `hoist rollback` from their plan (steps/promote/promotion.hpp) and, in a pipeline, from a
// `promote` step's outputs (steps/promote/promote_step.hpp); posted by steps/notify/promotion_hooks.hpp.

#include <string>
#include <vector>

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

}  // namespace hoist
