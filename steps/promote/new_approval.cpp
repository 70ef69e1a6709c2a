// See new_approval.hpp.

#include "steps/promote/new_approval.hpp"

#include "runner/util/errors.hpp"
#include "steps/promote/env_image.hpp"

namespace hoist::promote {

ApprovalRecord new_approval(ManifestRepo& repo, const Policy& policy, const ApprovalInput& input,
                            ImageResolver& resolver) {
  const Environment& env = policy.environment(input.env);
  ApprovalRecord record;
  record.app = input.app;
  record.environment = env.name;
  policy.file_for(env.name, record.app);  // checks the app name
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

}  // namespace hoist::promote
