// `hoist promote` and `hoist rollback`: read the policy from the production branch, plan the promotion, show it,
// refuse when the gate does (exit 3), confirm, then copy and bump (see steps/gate/promotion.hpp), then post the
// policy's on_promotion hooks when the environment moved.

#include "runner/cli/args.hpp"
#include "runner/cli/error_lines.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/pipeline/builtins.hpp"
#include "runner/report/text.hpp"
#include "runner/util/errors.hpp"
#include "steps/git/ancestry.hpp"
#include "steps/git/local_checkout.hpp"
#include "steps/notify/promotion_hooks.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/gate/identity.hpp"
#include "steps/gate/production_policy.hpp"
#include "steps/gate/promotion.hpp"

namespace hoist {

// The policy's on_promotion hooks, webhooks from the environment. The promotion is done whatever happens here: a
// failed notification is a warning, or with on_error: fail exit 1 saying the promotion stands.
int notify_promotion(const promote::Policy& policy, const PromotionNotice& notice, Console& console) {
  if (policy.on_promotion.empty()) return to_int(ExitCode::ok);
  TextReporter text(console.out, choose_text_style(console.stdout_is_tty, console.env));
  Resolver from_env = environment_resolver(console.env);
  CancelToken never;
  for (const auto& r : post_promotion_hooks(policy.on_promotion, notice, from_env, text, never))
    if (r.fails_run) {
      console.err << kErrorPrefix << "a notification failed (on_error: fail); the promotion stands: " << notice.to << " runs "
                  << notice.tag << "\n";
      return to_int(ExitCode::step_failed);
    }
  return to_int(ExitCode::ok);
}

namespace {

int run(const Args& args, const std::string& command, promote::PromoteOptions options, Console& console,
        ManifestDeps& deps) {
  promote::ManifestAccess access = manifest_access(args, console, deps);
  if (!args.flag("--plan")) access.sign = commit_signer(args, console, deps);  // exit 2 before anything is pushed
  promote::ManifestRepo repo(std::move(access));
  promote::ProductionPolicy pp = read_production_policy(repo);
  options.promoter = promote::current_identity(console.env, pp.policy, [] { return git_user_identity(); });
  std::tie(options.author_name, options.author_email) = promote::commit_author(options.promoter, console.env);
  options.pipeline_url = detect_builtins(console.env, console.cwd, read_local_checkout)["PIPELINE_URL"];
  options.digest = args.value("--digest");
  options.allow_older = args.flag("--allow-older");
  options.ancestry = checkout_ancestry(console, deps);
  options.freeze_override = freeze_override_reason(args);

  promote::SshKeygen signatures(deps.processes, console.env);
  promote::Promoter promoter(repo, pp.policy, deps.resolver, signatures, deps.clock());
  promote::PromotionPlan plan = promoter.plan(options);
  const std::string text = plan.describe();
  console.out << text;
  if (args.flag("--plan")) return to_int(plan.verdict.allowed ? ExitCode::ok : ExitCode::gate_refused);
  const promote::Environment& target = pp.policy.environment(plan.target.env);
  // By merge request the request is opened whatever the gate says; its hoist/gate status carries the verdict.
  if (!target.via_merge_request) promote::require_allowed(plan.verdict, plan.request);  // exit 3, nothing changed

  const std::string what = command + " " + options.app + " to " + plan.target.env;
  if (!confirm(deps.prompt, args.flag("--yes"), "", plan.target.env, what))
    throw Error("not confirmed: nothing was changed");
  if (target.via_merge_request) {
    const int code = promote_by_merge_request(args, repo, target, promoter, plan, console);
    if (code >= 0) return code;
    return notify_promotion(pp.policy, plan.notice(), console);
  }
  std::string commit = promoter.apply(plan, repo.bump_env());
  console.out << "pushed " << commit.substr(0, 12) << " to branch " << plan.target.branch << ": " << plan.target.env
              << " runs " << plan.tag << " (" << plan.digest << ")\n";
  if (!plan.changes) return to_int(ExitCode::ok);
  return notify_promotion(pp.policy, plan.notice(), console);
}

std::string one_app(const Args& args, const std::string& usage) {
  if (args.positional().size() != 1) throw InputError("usage: " + usage);
  return args.positional()[0];
}

}  // namespace

promote::AncestryCheck checkout_ancestry(Console& console, ManifestDeps& deps) {
  return [&console, &deps](const std::string& a, const std::string& b) {
    return git_is_ancestor(deps.processes, console.env, console.cwd, a, b);
  };
}

int promote_command(const std::vector<std::string>& argv, Console& console, ManifestDeps& deps) {
  const std::string usage =
      "hoist promote APP... | --all --from ENV --to ENV [--repo URL] [--digest D] [--allow-older] [--plan] [--yes]";
  Args args(argv, manifest_arg_spec("promote"), "promote");
  if (!args.value("--from") || !args.value("--to")) throw InputError("usage: " + usage);
  if (args.flag("--all") || args.positional().size() > 1) return release_command(args, console, deps);
  promote::PromoteOptions options;
  options.app = one_app(args, usage);
  options.from = *args.value("--from");
  options.to = *args.value("--to");
  return run(args, "promote", options, console, deps);
}

int rollback_command(const std::vector<std::string>& argv, Console& console, ManifestDeps& deps) {
  const std::string usage = "hoist rollback APP --env ENV [--repo URL] [--digest D] [--plan] [--merge] [--yes]";
  Args args(argv, manifest_arg_spec("rollback"), "rollback");
  promote::PromoteOptions options;
  options.app = one_app(args, usage);
  if (!args.value("--env")) throw InputError("usage: " + usage);
  options.to = *args.value("--env");
  options.rollback = true;
  return run(args, "roll back", options, console, deps);
}

}  // namespace hoist
