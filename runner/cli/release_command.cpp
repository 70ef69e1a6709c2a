// `hoist promote --from ENV --to ENV APP APP...` and `--all`: a release (steps/gate/release.hpp). Every app's gate is
// checked and shown; refused → exit 3 and nothing changes; else one confirmation, one commit, then the policy's
// on_promotion hooks for each app that moved.

#include "runner/cli/args.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/pipeline/builtins.hpp"
#include "runner/util/errors.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/git/local_checkout.hpp"
#include "steps/gate/identity.hpp"
#include "steps/gate/production_policy.hpp"
#include "steps/gate/release.hpp"

namespace hoist {

int release_command(const Args& args, Console& console, ManifestDeps& deps) {
  if (args.value("--digest")) throw InputError("--digest names one app's digest: it cannot be given for a release");
  promote::ManifestAccess access = manifest_access(args, console, deps);
  if (!args.flag("--plan")) access.sign = commit_signer(args, console, deps);  // exit 2 before anything is pushed
  promote::ManifestRepo repo(std::move(access));
  promote::ProductionPolicy pp = read_production_policy(repo);
  promote::ReleaseOptions options;
  options.apps = args.positional();
  options.all = args.flag("--all");
  promote::PromoteOptions& base = options.base;
  base.from = *args.value("--from");
  base.to = *args.value("--to");
  base.promoter = promote::current_identity(console.env, pp.policy, [] { return git_user_identity(); });
  std::tie(base.author_name, base.author_email) = promote::commit_author(base.promoter, console.env);
  base.pipeline_url = detect_builtins(console.env, console.cwd, read_local_checkout)["PIPELINE_URL"];
  base.allow_older = args.flag("--allow-older");
  base.ancestry = checkout_ancestry(console, deps);
  base.freeze_override = freeze_override_reason(args);

  promote::SshKeygen signatures(deps.processes, console.env);
  promote::Promoter promoter(repo, pp.policy, deps.resolver, signatures, deps.clock());
  promote::Release release(repo, pp.policy, promoter);
  promote::ReleasePlan plan = release.plan(options);
  console.out << plan.describe();
  if (args.flag("--plan")) return to_int(plan.allowed() ? ExitCode::ok : ExitCode::gate_refused);
  promote::require_release_allowed(plan);  // GateRefused: exit 3, nothing changed
  if (plan.apps.empty()) {
    console.out << "nothing to release: every app in " << plan.from << " already runs in " << plan.to << "\n";
    return to_int(ExitCode::ok);
  }
  const std::string what = "release " + std::to_string(plan.apps.size()) + " apps to " + plan.to;
  if (!confirm(deps.prompt, args.flag("--yes"), "", plan.to, what)) throw Error("not confirmed: nothing was changed");
  const std::string commit = release.apply(plan, repo.bump_env());
  console.out << "pushed " << commit.substr(0, 12) << " to branch " << plan.branch << ": " << plan.to << " runs "
              << plan.apps.size() << " new app version" << (plan.apps.size() == 1 ? "" : "s") << "\n";
  int code = to_int(ExitCode::ok);
  for (const auto& p : plan.apps)
    if (p.changes) code = std::max(code, notify_promotion(pp.policy, p.notice(), console));
  return code;
}

}  // namespace hoist
