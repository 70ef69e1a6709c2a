// `hoist approve`: record one approval of one digest of one app into one environment (or one approval over a
// release's set of app -> digest), by whoever runs it, as new refs in the manifest repository (see
// steps/gate/approval_refs.hpp), signed with ssh-keygen when asked.

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

// The record's commit is signed when a key is configured; a key that cannot sign is exit 2 before anything is pushed.
promote::ManifestAccess signed_access(const Args& args, Console& console, ManifestDeps& deps) {
  promote::ManifestAccess access = manifest_access(args, console, deps);
  access.sign = commit_signer(args, console, deps);
  return access;
}

// What every approval records about who approves, when and where, and how it is signed and authored.
struct Approving {
  promote::ManifestRepo repo;
  promote::ProductionPolicy pp;
  std::string approver;
  promote::TimePoint time;
  std::string pipeline_url;
  std::string comment;

  Approving(const Args& args, Console& console, ManifestDeps& deps)
      : repo(signed_access(args, console, deps)), pp(read_production_policy(repo)) {
    approver = promote::current_identity(console.env, pp.policy, [] { return git_user_identity(); });
    time = deps.clock();
    pipeline_url = detect_builtins(console.env, console.cwd, read_local_checkout)["PIPELINE_URL"];
    comment = args.value("--comment").value_or("");
  }

  // Asks (on a terminal), then signs TEXT with --sign-key when given.
  std::optional<std::string> confirm_and_sign(const Args& args, Console& console, ManifestDeps& deps,
                                              const std::string& shown, const std::string& env,
                                              const std::string& text) {
    if (!confirm(deps.prompt, args.flag("--yes"), shown, env, "approve"))
      throw Error("not confirmed: nothing was recorded");
    auto key = args.value("--sign-key");
    if (!key) return std::nullopt;
    promote::SshKeygen keygen(deps.processes, console.env);
    return keygen.sign(text, *key);
  }

  Signature author(Console& console) const {
    auto [name, email] = promote::commit_author(approver, console.env);
    return Signature{name, email, std::nullopt, 0};
  }
};

// `hoist approve --env ENV APP APP... | --all`: one approval over the exact set of app -> digest (what ENV's `after`
// runs now), stored once and filed under each app (steps/gate/approval_set.hpp).
int approve_set(const Args& args, Console& console, ManifestDeps& deps) {
  if (args.value("--digest")) throw InputError("--digest names one app's digest: it cannot be given for a release");
  Approving a(args, console, deps);
  const promote::Policy& policy = a.pp.policy;
  const promote::Environment& env = policy.environment(*args.value("--env"));
  promote::ApprovalSetInput input{env.name, args.positional(), args.flag("--all"), a.approver, a.time,
                                  a.pipeline_url, a.comment};
  promote::ApprovalSet set = promote::new_approval_set(a.repo, policy, input, deps.resolver);
  const std::string text = promote::canonical_set_text(set);
  for (const auto& [app, _] : set.apps)
    for (const auto& w : promote::approval_warnings(a.repo, policy, promote::record_for(set, app)))
      console.err << "hoist: warning: " << app << ": " << w << "\n";
  const std::string shown = "approving a release of " + std::to_string(set.apps.size()) + " apps into " + env.name +
                            " as " + set.approver + "\n" + text;
  set.signature = a.confirm_and_sign(args, console, deps, shown, env.name, text);
  a.repo.add_approval_set(set, a.author(console));
  console.out << "approved a release of " << set.apps.size() << " apps into " << env.name << " as " << set.approver
              << (set.signature ? " (signed)" : "") << ":\n";
  for (const auto& [app, digest] : set.apps) console.out << "  " << app << " " << digest << "\n";
  for (const auto& [app, digest] : set.apps) refresh_after_approval(a.repo, policy, env, app, digest, console, deps);
  return to_int(ExitCode::ok);
}

}  // namespace

int approve_command(const std::vector<std::string>& argv, Console& console, ManifestDeps& deps) {
  const std::string usage =
      "hoist approve APP... | --all --env ENV [--digest D] [--sign-key FILE] [--comment C] [--repo URL] [--yes]";
  Args args(argv, manifest_arg_spec("approve"), "approve");
  if (!args.value("--env")) throw InputError("usage: " + usage);
  if (args.flag("--all") || args.positional().size() > 1) return approve_set(args, console, deps);
  if (args.positional().size() != 1) throw InputError("usage: " + usage);
  Approving a(args, console, deps);
  const promote::Policy& policy = a.pp.policy;
  const promote::Environment& env = policy.environment(*args.value("--env"));

  promote::ApprovalInput input{args.positional()[0], env.name, args.value("--digest"), a.approver, a.time,
                               a.pipeline_url, a.comment};
  promote::ApprovalRecord record = promote::new_approval(a.repo, policy, input, deps.resolver);
  const std::string text = promote::canonical_text(record);
  for (const auto& w : promote::approval_warnings(a.repo, policy, record)) console.err << "hoist: warning: " << w << "\n";
  const std::string shown = "approving " + record.app + " " + record.digest + " into " + env.name + " as " +
                            record.approver + "\n" + text;
  record.signature = a.confirm_and_sign(args, console, deps, shown, env.name, text);
  std::string ref = a.repo.add_approval(record, a.author(console));
  console.out << "approved " << record.app << " " << record.digest << " into " << env.name << " as "
              << record.approver << (record.signature ? " (signed)" : "") << ": " << ref << "\n";
  refresh_after_approval(a.repo, policy, env, record.app, record.digest, console, deps);
  return to_int(ExitCode::ok);
}

}  // namespace hoist
