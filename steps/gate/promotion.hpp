#pragma once
// A promotion (or rollback) of one app into one environment, from reading the manifest repository to the pushed
// commit, in named phases:
//   prepare  read what the source and target run (tags, digests), pick the digest (the source's, --digest, or for a
//            rollback the previous one in the target's history), collect the approvals on record and who built or
//            bumped the digest, and evaluate the gate;
//   plan     the same plus the diff of the target file (run_bump in plan mode) — what --plan prints;
//   apply    refuse unless the gate allows (GateRefused, exit 3, nothing changed), copy the image when the target
//            pulls from another repository or registry, then bump the target file on the target branch (every place
//            of the app's image: the tag, and the digest wherever the file can record one) with Hoist-* trailers.
// The registry sits behind ImageResolver; signatures behind SignatureChecker; the clock is passed in.

#include <optional>
#include <string>
#include <vector>

#include "runner/exec/promotion_notice.hpp"
#include "steps/gate/build_order.hpp"
#include "steps/gate/env_image.hpp"
#include "steps/gate/gate.hpp"

namespace hoist::promote {

struct PromoteOptions {
  std::string app;
  std::string from;                    // ignored for a rollback (the target's `after` is used for the order rule)
  std::string to;
  std::optional<std::string> digest;   // promote this digest (rollback: return to it) instead of the default
  bool rollback = false;
  std::string promoter;                // identity of whoever runs it
  std::string author_name;             // of the commit
  std::string author_email;
  std::string pipeline_url;            // recorded as Hoist-Pipeline when set
  bool allow_older = false;            // --allow-older: the "newer" rule lets an older build through (recorded)
  AncestryCheck ancestry;              // source-commit ancestry in the CI checkout; may be empty
  std::string freeze_override;         // --freeze-override REASON: break-glass (steps/gate/break_glass.hpp)
};

struct PromotionPlan {
  PromoteOptions options;
  PromotionRequest request;
  EnvImage source;                     // rollback: the target's own history entry is the source
  EnvImage target;
  std::string tag;                     // what the target's image places say after it
  std::string digest;                  // what is promoted
  std::string from_image;              // image repositories
  std::string to_image;
  bool copy = false;                   // target pulls from another repository: copy by digest first
  std::string replaces_commit;         // rollback: the history commit returned to
  BuildId build;                       // what is promoted: source commit and build number, copied forward
  bool older = false;                  // older than what the target runs (allowed only with allow_older)
  GateVerdict verdict;
  std::vector<std::string> unreadable_approvals;
  std::vector<yamledit::Change> target_changes;  // every place of the target file that changes (prepare)
  std::string target_error;            // why those edits cannot be made, when they cannot
  std::string diff;                    // filled by Promoter::plan
  bool changes = false;                // Promoter::plan: the target file changes (the environment moves)
  std::string change;                  // Promoter::plan: "image.tag: 1.0.0 -> 1.1.0, digest sha256:… -> sha256:…"
  std::string rendered;                // Promoter::plan: the objects the change renders to (steps/render/preview.hpp)
  std::string objects;                 // Promoter::plan: their count, "1 object changes: 1 Deployment"
  std::string rendered_json;           // Promoter::plan: the same objects as data (RenderPreview::json_text)

  // The --plan text: source and target, image copy, gate verdict rule by rule with approvals, the diff.
  std::string describe() const;
  // What an on_promotion notification says about this promotion once applied.
  PromotionNotice notice() const;
};

// The promotion commit's message: its subject and Hoist-* trailers (digest, source, approvals, promoter, pipeline).
std::string promotion_message(const PromotionPlan& plan);

// Who built or bumped DIGEST (or set TAG) of APP in ENV, and with WALK_AFTER in every environment before it: the
// commits' authors and their Hoist-Actor and Hoist-Promoted-By trailers. Self-approval is checked against these.
std::vector<std::string> find_builders(ManifestRepo& repo, const Policy& policy, const std::string& env,
                                       const std::string& app, const std::string& digest, const std::string& tag,
                                       bool walk_after);

// The trailers a promotion's commit records (and a release's group for the app).
Trailers promotion_trailers(const PromotionPlan& plan);

class Promoter {
 public:
  Promoter(ManifestRepo& repo, const Policy& policy, ImageResolver& resolver, SignatureChecker& signatures,
           TimePoint now)
      : repo_(repo), policy_(policy), resolver_(resolver), signatures_(signatures), now_(now) {}

  PromotionPlan prepare(const PromoteOptions& options);
  // prepare + the diff of the target file; pushes nothing.
  PromotionPlan plan(const PromoteOptions& options);
  // Throws GateRefused unless plan.verdict allows; copies, bumps. Returns the pushed commit (the tip when nothing
  // changed). With PROPOSAL_BRANCH (promotion by merge request, steps/gate/merge_request.hpp) the commit goes on
  // the target branch's tip but is pushed to that branch, whatever the gate says: the request's status carries it.
  std::string apply(const PromotionPlan& plan, const BumpEnv& env, const std::string& proposal_branch = "");

  // The pieces of apply, for a release that writes several promotions in one commit (steps/gate/release.hpp):
  // GateRefused unless the plan may be written; the image copy when the target pulls from elsewhere; the target
  // file's new content on a snapshot of its branch (hoist::Error "superseded by ..." when someone else moved the tag
  // since the gate looked).
  void check_writable(const PromotionPlan& plan) const;
  void copy_image(const PromotionPlan& plan);
  std::string edit_target(const PromotionPlan& plan, const FileSnapshot& snap) const;
  // "image.tag: 1.0.0 -> 1.1.0, digest sha256:… -> sha256:…"
  std::string change_of(const PromotionPlan& plan) const;

 private:
  ManifestRepo& repo_;
  const Policy& policy_;
  ImageResolver& resolver_;
  SignatureChecker& signatures_;
  TimePoint now_;
};

}  // namespace hoist::promote
