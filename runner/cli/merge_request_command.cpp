// Promotion by merge request on the command line (docs/DESIGN.md, "Protected production"): `hoist promote` into an
// environment with `via: merge_request` proposes instead of pushing (and merges with --merge when the gate allows),
// `hoist approve` sets the request's hoist/gate status again, and `hoist gate-status` does only that, for a scheduled
// or manual CI job (a freeze window that ended, an approval that expired). See steps/gate/merge_request.hpp.

#include "runner/cli/args.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/pipeline/builtins.hpp"
#include "runner/util/errors.hpp"
#include "steps/gate/identity.hpp"
#include "steps/gate/merge_request.hpp"
#include "steps/gate/production_policy.hpp"
#include "steps/gate/ssh_signature.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/git/local_checkout.hpp"

namespace hoist {

promote::ForgeAccess forge_access(promote::ManifestRepo& repo, const Console& console) {
  promote::ForgeAccess a;
  a.repo_url = repo.display();
  a.http.env = console.env;
  return a;
}

int promote_by_merge_request(const Args& args, promote::ManifestRepo& repo, const promote::Environment& env,
                             promote::Promoter& promoter, const promote::PromotionPlan& plan, Console& console) {
  auto forge = promote::open_forge(env, forge_access(repo, console));
  promote::Proposal p = promote::propose(promoter, plan, repo.bump_env(), *forge);
  console.out << (p.created ? "opened " : "updated ") << forge->name() << " merge request " << p.request.url
              << " from " << p.branch << " (" << p.commit.substr(0, 12) << ") into " << plan.target.branch << "; "
              << promote::kGateContext << ": " << (plan.verdict.allowed ? "success" : "failure") << "\n";
  if (!args.flag("--merge")) return to_int(ExitCode::ok);
  const std::string merged = promote::merge_proposal(plan, p, *forge);  // GateRefused: exit 3, the request stays
  console.out << "merged " << p.request.url << " as " << merged.substr(0, 12) << " into branch " << plan.target.branch
              << ": " << plan.target.env << " runs " << plan.tag << " (" << plan.digest << ")\n";
  return -1;  // merged: the caller posts the promotion's notifications
}

namespace {

// The options of the promotion into ENV (from its `after`) of DIGEST, or of what `after` runs, as `hoist promote`
// sets them.
promote::PromoteOptions options_into(const promote::Policy& policy, const promote::Environment& env,
                                     const std::optional<std::string>& digest, const Console& console) {
  if (env.after.empty())
    throw InputError("environment '" + env.name + "' has no 'after': nothing is promoted into it by merge request");
  promote::PromoteOptions o;
  o.to = env.name;
  o.from = env.after;
  o.digest = digest;
  o.promoter = promote::current_identity(console.env, policy, [] { return git_user_identity(); });
  o.pipeline_url = detect_builtins(console.env, console.cwd, read_local_checkout)["PIPELINE_URL"];
  return o;
}

}  // namespace

void refresh_after_approval(promote::ManifestRepo& repo, const promote::Policy& policy,
                            const promote::Environment& env, const std::string& app, const std::string& digest,
                            Console& console, ManifestDeps& deps) {
  if (!env.via_merge_request || env.after.empty()) return;
  try {
    promote::PromoteOptions o = options_into(policy, env, digest, console);
    o.app = app;
    promote::SshKeygen signatures(deps.processes, console.env);
    promote::Promoter promoter(repo, policy, deps.resolver, signatures, deps.clock());
    promote::PromotionPlan plan = promote::plan_of_proposal(promoter, repo, o);
    auto forge = promote::open_forge(env, forge_access(repo, console));
    promote::Refreshed r = promote::refresh_status(promoter, repo, plan, *forge);
    console.out << promote::kGateContext << ": " << (plan.verdict.allowed && r.problem.empty() ? "success" : "failure")
                << (r.request ? " on " + r.request->url : "") << "\n";
    if (!r.problem.empty()) console.err << "hoist: warning: " << r.problem << "\n";
  } catch (const Error& e) {
    console.err << "hoist: warning: the approval is recorded, but " << promote::kGateContext
                << " was not updated: " << e.what() << "\n";
  }
}

int gate_status_command(const std::vector<std::string>& argv, Console& console, ManifestDeps& deps) {
  const std::string usage = "hoist gate-status APP --env ENV [--digest D] [--repo URL]";
  Args args(argv, manifest_arg_spec("gate-status"), "gate-status");
  if (args.positional().size() != 1 || !args.value("--env")) throw InputError("usage: " + usage);
  promote::ManifestRepo repo(manifest_access(args, console, deps));
  promote::ProductionPolicy pp = read_production_policy(repo);
  const promote::Environment& env = pp.policy.environment(*args.value("--env"));
  if (!env.via_merge_request)
    throw InputError("environment '" + env.name + "' is not promoted by merge request (via: merge_request)");
  promote::PromoteOptions o = options_into(pp.policy, env, args.value("--digest"), console);
  o.app = args.positional()[0];
  promote::SshKeygen signatures(deps.processes, console.env);
  promote::Promoter promoter(repo, pp.policy, deps.resolver, signatures, deps.clock());
  promote::PromotionPlan plan = promote::plan_of_proposal(promoter, repo, o);
  console.out << "gate of " << plan.target.env << ": " << (plan.verdict.allowed ? "allowed" : "REFUSED") << "\n"
              << plan.verdict.describe();
  auto forge = promote::open_forge(env, forge_access(repo, console));
  promote::Refreshed r = promote::refresh_status(promoter, repo, plan, *forge);
  console.out << promote::kGateContext << ": " << (plan.verdict.allowed && r.problem.empty() ? "success" : "failure")
              << " on " << promote::proposal_branch(o.app, env.name, plan.digest)
              << (r.request ? " (" + r.request->url + ")" : " (no open merge request)") << "\n";
  // A head that is not Hoist's commit is refused whatever the approvals say: promote again to replace it.
  if (!r.problem.empty())
    throw promote::GateRefused(r.problem + "; run hoist promote again to replace it with the promotion");
  return to_int(ExitCode::ok);
}

}  // namespace hoist
