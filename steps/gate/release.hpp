#pragma once
// A release: several apps promoted from one environment into the next in ONE commit, all or nothing.
//
//   hoist promote --from staging --to prod api-gateway billing web     (or --all)
//
//   plan     each app is prepared as a promotion of its own (steps/gate/promotion.hpp: what the source runs, the
//            approvals, the gate rule by rule); with --all, the apps are every app with a values file in the source
//            whose digest differs from the target's; then one bump of the target branch in plan mode over every
//            app's file gives the diffs;
//   apply    refused (GateRefused, exit 3, nothing copied, nothing pushed) unless every app's gate allows; then the
//            images are copied where the target pulls from elsewhere, and one commit edits every target file, with
//            one trailer set per app (steps/git/app_trailers.hpp), so each app's history reads the release as its
//            own promotion.

#include <string>
#include <vector>

#include "steps/gate/promotion.hpp"

namespace hoist::promote {

struct ReleaseOptions {
  std::vector<std::string> apps;   // in the order given; empty with `all`
  bool all = false;                // every app whose digest differs between from and to
  PromoteOptions base;             // from, to, promoter, author, pipeline, allow_older, ancestry (app ignored)
};

struct ReleasePlan {
  std::string from, to;
  std::vector<PromotionPlan> apps;       // one promotion each, in order (sorted by name with --all)
  std::vector<std::string> same;         // --all: apps that already run the source's digest
  std::string branch;                    // the target branch
  std::string diff;                      // of every target file, from one bump in plan mode
  bool changes = false;                  // some target file changes

  bool allowed() const;                  // every app's gate allows
  // Each app's promotion (source, target, gate rule by rule), then the diff.
  std::string describe() const;
};

class Release {
 public:
  Release(ManifestRepo& repo, const Policy& policy, Promoter& promoter)
      : repo_(repo), policy_(policy), promoter_(promoter) {}

  // Throws InputError for no apps (none given, or with --all none that differs is not an error: an empty plan) and
  // for an app named twice.
  ReleasePlan plan(const ReleaseOptions& options);
  // Throws GateRefused listing every refused app's failed rules unless plan.allowed(); copies, then one commit.
  // Returns the pushed commit (the tip when nothing changed).
  std::string apply(const ReleasePlan& plan, const BumpEnv& env);

 private:
  ManifestRepo& repo_;
  const Policy& policy_;
  Promoter& promoter_;
};

// Throws GateRefused("release of N apps from FROM to TO refused:\n  APP: RULE: message ...") unless allowed.
void require_release_allowed(const ReleasePlan& plan);

}  // namespace hoist::promote
