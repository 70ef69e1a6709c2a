// `hoist approve`: record one approval of one digest of one app into one environment, by whoever runs it, as a new
// ref in the manifest repository (see steps/gate/approval_refs.hpp), signed with ssh-keygen when asked.

#include <algorithm>

#include "runner/cli/args.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/pipeline/builtins.hpp"
#include "runner/util/errors.hpp"
#include "steps/git/local_checkout.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/gate/identity.hpp"
#include "steps/gate/new_approval.hpp"
#include "steps/gate/production_policy.hpp"
#include "steps/gate/ssh_signature.hpp"

namespace hoist {
namespace {


}  // namespace

int approve_command(const std::vector<std::string>& argv, Console& console, ManifestDeps& deps) {
  const std::string usage =
      "hoist approve APP --env ENV [--digest D] [--sign-key FILE] [--comment C] [--repo URL] [--yes]";
  Args args(argv, manifest_arg_spec("approve"), "approve");
  if (args.positional().size() != 1 || !args.value("--env")) throw InputError("usage: " + usage);
  promote::ManifestAccess access = manifest_access(args, console, deps);
  access.sign = commit_signer(args, console, deps);  // the record's commit; exit 2 before anything is pushed
  promote::ManifestRepo repo(std::move(access));
  promote::ProductionPolicy pp = read_production_policy(repo);
  const promote::Policy& policy = pp.policy;
  const promote::Environment& env = policy.environment(*args.value("--env"));

  promote::ApprovalInput input;
  input.app = args.positional()[0];
  input.env = env.name;
  input.digest = args.value("--digest");
  input.approver = promote::current_identity(console.env, policy, [] { return git_user_identity(); });
  input.time = deps.clock();
  input.pipeline_url = detect_builtins(console.env, console.cwd, read_local_checkout)["PIPELINE_URL"];
  input.comment = args.value("--comment").value_or("");
  promote::ApprovalRecord record = promote::new_approval(repo, policy, input, deps.resolver);
  const std::string text = promote::canonical_text(record);

  for (const auto& w : promote::approval_warnings(repo, policy, record)) console.err << "hoist: warning: " << w << "\n";

  const std::string shown = "approving " + record.app + " " + record.digest + " into " + env.name + " as " +
                            record.approver + "\n" + text;
  if (!confirm(deps.prompt, args.flag("--yes"), shown, env.name, "approve"))
    throw Error("not confirmed: nothing was recorded");
  if (auto key = args.value("--sign-key")) {
    promote::SshKeygen keygen(deps.processes, console.env);
    record.signature = keygen.sign(text, *key);
  }
  auto [name, email] = promote::commit_author(record.approver, console.env);
  std::string ref = repo.add_approval(record, Signature{name, email, std::nullopt, 0});
  console.out << "approved " << record.app << " " << record.digest << " into " << env.name << " as "
              << record.approver << (record.signature ? " (signed)" : "") << ": " << ref << "\n";
  refresh_after_approval(repo, policy, env, record.app, record.digest, console, deps);
  return to_int(ExitCode::ok);
}

}  // namespace hoist
