#pragma once
// No backwards moves for a pipeline's bump: a re-run of an older pipeline must not replace the newer build an
// environment branch runs. For each file the bump edits, the build it records (Hoist-Source-Commit from COMMIT_SHA,
// Hoist-Build-Number from PIPELINE_ID, Hoist-Image-Digest from `digest:`) is compared with the newest build recorded
// on the branch for that file, as steps/gate/build_order.hpp decides "older"; the CI checkout is the step's working
// directory. Refused with GateRefused (exit 3) before anything is written, unless `allow_older: true`.
// The branch's history is read from the bump's own fetch (BumpRequest::inspect gives its repository and the tip each
// attempt builds on), so the check costs a walk of local history, not a second fetch, and a retry after another
// pipeline pushed judges against what that pipeline brought.

#include <map>
#include <string>

#include "runner/exec/step_kind.hpp"
#include "steps/gate/build_order.hpp"
#include "steps/git/git_handles.hpp"
#include "steps/manifest/bump_spec.hpp"

namespace hoist {

// The build this run of the pipeline records (from the step's environment: COMMIT_SHA, PIPELINE_ID).
promote::BuildId this_build(const BumpSpec& spec, const std::map<std::string, std::string>& env);

// Throws GateRefused when the bump would move a file of SPEC's branch (at TIP of REPO) to an older build, unless
// spec.allow_older. Returns whether the build is older (then the commit records Hoist-Allow-Older: true).
bool check_older_bump(git_repository* repo, const std::string& tip, const BumpSpec& spec, StepContext& ctx);

}  // namespace hoist
