#pragma once
// The manifest repository's policy (hoist.yaml at the root of its production branch): which environments exist,
// in which order an image moves through them, where each keeps its values file and its images, and the gate in
// front of each. Plain data plus a loader that reports every problem at once as hoist.yaml:line:col; reading the
// file from the right branch is the caller's job.
//
//   environments:
//     qa:      {branch: qa, file: "{app}/qa.values.yaml"}
//     staging: {branch: staging, file: "{app}/staging.values.yaml", after: qa}
//     prod:
//       branch: master
//       file: "{app}/prod.values.yaml"
//       after: staging
//       registry: prod-registry.example.com     # optional: this environment pulls from elsewhere
//       pin: digest                              # optional: refuse a values file that records no image.digest
//       via: merge_request                       # optional: promote through a merge request (default: push)
//       forge: gitlab                            # with via: merge_request: github, gitlab or bitbucket
//       forge_url: https://gitlab.example.com/api/v4   # optional: else derived from the repository URL
//       gate:
//         approvals: 2
//         approvers: [carol, "@sre"]            # "@NAME" is a group from `groups` (quoted: YAML reserves '@')
//         self_approval: false
//         freeze: ["Fri 16:00 - Mon 08:00 +09:00"]
//         approval_ttl: 24h
//         signed: true
//         allowed_signers: |
//           alice ssh-ed25519 AAAA...
//   image: "registry.example.com/shop/{app}"
//   image_at: {tag: image.tag}                   # where the image is written (image_shape.hpp); `image_key: K` is
//   apps: {web: {file: ..., image_at: ...}}      # short for `image_at: {tag: K}`; per-app overrides
//   groups: {sre: [alice, bob]}
//   identities: {"{123e4567-e89b-12d3-a456-426614174000}": alice}   # Bitbucket UUID -> user name
//   notify:
//     on_promotion:                              # posted by hoist promote / hoist rollback when an environment moves
//       - {webhook: "${SLACK_WEBHOOK_URL}", on_error: warn}    # the webhook only from a variable: a secret

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "runner/pipeline/pipeline.hpp"
#include "runner/util/diagnostics.hpp"
#include "steps/gate/freeze_window.hpp"
#include "steps/gate/image_shape.hpp"

namespace hoist::promote {

struct Gate {
  int approvals = 0;                     // distinct approvers needed
  std::vector<std::string> approvers;    // as written: user names and "@group"
  bool self_approval = false;            // may the promoter / builder approve?
  std::vector<FreezeWindow> freeze;
  std::chrono::seconds approval_ttl{24 * 3600};
  bool signed_approvals = false;         // `signed: true`
  std::string allowed_signers;           // an ssh allowed_signers file's content, newline-terminated lines
};

struct Environment {
  std::string name;
  std::string branch;
  std::string file;        // pattern with {app} (and {env})
  std::string after;       // the environment it is promoted from; empty for the first ones
  std::string registry;    // overrides, empty when absent
  std::string repository;
  std::string image;
  bool pin_digest = false; // `pin: digest`: its values file must record the digest (else it runs by tag)
  // `via: merge_request`: promotions arrive through a merge request on `forge` (github, gitlab, bitbucket) whose
  // hoist/gate status is the gate; `forge_url`: the forge's API, else derived from the repository URL.
  bool via_merge_request = false;
  std::string forge;
  std::string forge_url;
  Gate gate;
  Location location;       // where it is defined, for messages
};

struct Policy {
  std::string file;                                          // "hoist.yaml", for messages
  std::vector<Environment> environments;                     // in file order
  std::string image;                                         // pattern with {app}
  ImageShape image_at{{"image.tag"}, {}, {}, {}, {}, {}};   // the default places of every app's image
  std::vector<AppRule> apps;                                 // `apps:`, in file order
  std::map<std::string, std::vector<std::string>> groups;    // name (without '@') -> members
  std::map<std::string, std::string> identities;             // e.g. Bitbucket UUID -> user name
  std::vector<NotifyHook> on_promotion;                      // `notify: on_promotion:`, in file order

  // nullptr when there is no such environment.
  const Environment* find(std::string_view name) const;
  // Throws InputError "hoist.yaml has no environment 'prd' (did you mean 'prod'?)".
  const Environment& environment(std::string_view name) const;

  // Every environment after the one it is promoted from (dev, qa, staging, prod); ties keep file order.
  std::vector<std::string> promotion_order() const;

  // The people who may approve promotions into `env`: its approvers with groups expanded, sorted, distinct.
  std::vector<std::string> approvers_of(const Environment& env) const;

  // The user name for an identity: `identities` maps it (Bitbucket UUIDs compare without braces and case);
  // anything not mapped is returned as it is.
  std::string user_for(std::string_view identity) const;

  // "{app}" replaced: the values file of `app` in `env`, and the image repository (registry/path, no tag) it runs.
  // Throw InputError for an unknown environment, an app name that is not a plain name (no '/', no leading '.'),
  // or an environment with no image at all.
  // The file is the app's rule's (`apps:`) for that environment when it has one.
  std::string file_for(std::string_view env, std::string_view app) const;
  std::string image_for(std::string_view env, std::string_view app) const;

  // ENV's file patterns with {env} filled in: its own, then each `apps:` rule's for it, distinct.
  std::vector<std::string> file_patterns(const Environment& env) const;

  // Where APP's image is written in its files: its rule's image_at, else the policy's, with {app} replaced.
  ImageShape shape_for(std::string_view app) const;
};

// Parses hoist.yaml. Every problem goes to `diags` as `file:line:col: message`; the returned policy is only
// meaningful when no problem was added.
Policy load_policy(std::string_view text, const std::string& file, Diagnostics& diags);

// Same, throwing DiagnosticsError (exit 2) with all the problems.
Policy load_policy(std::string_view text, const std::string& file);

}  // namespace hoist::promote
