// See new_approval.hpp.

#include "steps/gate/new_approval.hpp"

#include <algorithm>

#include "runner/util/errors.hpp"
#include "steps/gate/app_files.hpp"
#include "steps/gate/env_image.hpp"
#include "steps/gate/known_apps.hpp"
#include "steps/gate/promotion.hpp"

namespace hoist::promote {

ApprovalRecord new_approval(ManifestRepo& repo, const Policy& policy, const ApprovalInput& input,
                            ImageResolver& resolver) {
  const Environment& env = policy.environment(input.env);
  ApprovalRecord record;
  record.app = input.app;
  record.environment = env.name;
  require_known_app(repo, policy, record.app, {env.after.empty() ? env.name : env.after});
  if (input.digest) {
    record.digest = *input.digest;
  } else {
    // What is about to be promoted: what the environment before this one runs now.
    if (env.after.empty())
      throw InputError("approve: " + env.name + " is not promoted from another environment; give the digest");
    EnvImage before = read_env_image(repo, policy, env.after, record.app, &resolver);
    if (!before.digest) throw Error("cannot tell which digest " + env.after + " runs: " + before.digest_error);
    record.digest = *before.digest;
  }
  if (!is_digest(record.digest))
    throw InputError("approve: the digest must be sha256:<64 hex digits>, got '" + record.digest + "'");
  record.approver = input.approver;
  record.time = input.time;
  record.pipeline_url = input.pipeline_url;
  record.comment = input.comment;
  canonical_text(record);  // throws for a field that cannot be written
  return record;
}

ApprovalSet new_approval_set(ManifestRepo& repo, const Policy& policy, const ApprovalSetInput& input,
                             ImageResolver& resolver) {
  const Environment& env = policy.environment(input.env);
  if (env.after.empty())
    throw InputError("approve: " + env.name + " is not promoted from another environment, so it has no releases");
  std::vector<std::string> apps = input.apps;
  if (input.all) {
    if (!apps.empty()) throw InputError("approve: give apps or --all, not both");
    apps = apps_that_differ(repo, policy, env.after, env.name, &resolver);
    if (apps.empty()) throw InputError("approve: every app in " + env.after + " already runs in " + env.name);
  }
  if (apps.empty()) throw InputError("approve: no apps: name them or pass --all");
  std::sort(apps.begin(), apps.end());
  if (auto twice = std::adjacent_find(apps.begin(), apps.end()); twice != apps.end())
    throw InputError("approve: app '" + *twice + "' is named twice");
  ApprovalSet set;
  set.environment = env.name;
  set.approver = input.approver;
  set.time = input.time;
  set.pipeline_url = input.pipeline_url;
  set.comment = input.comment;
  for (const auto& app : apps) {
    ApprovalInput one{app, env.name, std::nullopt, input.approver, input.time, input.pipeline_url, input.comment};
    set.apps.emplace_back(app, new_approval(repo, policy, one, resolver).digest);
  }
  canonical_set_text(set);  // throws for a field that cannot be written
  return set;
}

std::vector<std::string> approval_warnings(ManifestRepo& repo, const Policy& policy, const ApprovalRecord& record) {
  const Environment& env = policy.environment(record.environment);
  const Gate& gate = env.gate;
  std::vector<std::string> out;
  if (gate.approvals == 0) {
    out.push_back(env.name + " has no gate (no 'approvals' in " + policy.file +
                  "): the approval is recorded but nothing requires it");
    return out;
  }
  const std::string who = policy.user_for(record.approver);
  const auto approvers = policy.approvers_of(env);
  if (std::find(approvers.begin(), approvers.end(), who) == approvers.end())
    out.push_back(who + " is not an approver of " + env.name + "; the approval is recorded but will not count");
  if (!gate.self_approval && !env.after.empty()) {
    for (const auto& b : find_builders(repo, policy, env.after, record.app, record.digest, "", true))
      if (policy.user_for(b) == who) {
        out.push_back(who + " built, bumped or promoted " + short_digest(record.digest) + " on its way to " +
                      env.after + ", so the approval will not count (self_approval: false)");
        break;
      }
  }
  return out;
}

}  // namespace hoist::promote
