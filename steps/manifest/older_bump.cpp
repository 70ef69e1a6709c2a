// See older_bump.hpp.
#include "steps/manifest/older_bump.hpp"

#include "runner/util/strings.hpp"
#include "steps/gate/gate.hpp"
#include "steps/git/ancestry.hpp"
#include "steps/git/file_history.hpp"

namespace hoist {

promote::BuildId this_build(const BumpSpec& spec, const std::map<std::string, std::string>& env) {
  promote::BuildId b;
  b.source_commit = value_or_empty(env, "COMMIT_SHA");
  b.build_number = promote::build_number_of(value_or_empty(env, "PIPELINE_ID"));
  b.digest = spec.digest.value_or("");
  return b;
}

bool check_older_bump(git_repository* repo, const std::string& tip, const BumpSpec& spec, StepContext& ctx) {
  promote::NewerInput in;
  in.ours = this_build(spec, ctx.env);
  if (in.ours.empty()) return false;  // nothing recorded about this build: nothing to compare
  in.env = "branch '" + spec.branch + "'";
  in.allow_older = spec.allow_older;
  in.allow_flag = "allow_older: true (hoist bump --allow-older)";
  in.ancestry = [&](const std::string& a, const std::string& b) {
    return git_is_ancestor(ctx.processes, ctx.env, ctx.working_dir, a, b);
  };
  bool older = false;
  for (const auto& fe : spec.files) {
    // Only commits that record a build can be running or have arrived: the rest are passed over unread.
    const std::vector<CommitInfo> history =
        file_history(repo, tip, fe.file, 0, [](const CommitInfo& c) { return !promote::build_of(c).empty(); });
    in.running.reset();
    in.arrivals.clear();
    for (auto it = history.rbegin(); it != history.rend(); ++it) {  // oldest first
      promote::BuildId b = promote::build_of(*it);
      if (b.empty()) continue;
      in.arrivals.push_back(b);
      in.running = b;
    }
    in.env = fe.file + " on branch '" + spec.branch + "'";
    promote::NewerVerdict v = promote::newer_rule(in);
    if (!v.rule.passed) throw promote::GateRefused("step '" + ctx.step.id + "': bump refused: " + v.rule.message);
    older = older || v.older;
  }
  return older;
}

}  // namespace hoist
