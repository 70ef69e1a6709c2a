// Shared by the manifest commands (see manifest_commands.hpp): how the manifest repository is reached.

#include "runner/cli/args.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/util/errors.hpp"
#include "steps/signing/commit_signer.hpp"

namespace hoist {

const ArgSpec& manifest_arg_spec(const std::string& command) {
  static const std::map<std::string, ArgSpec> specs = {
      {"promote", ArgSpec{{"--plan", "--yes", "--allow-older", "--all", "--merge"},
                          {"--from", "--to", "--repo", "--digest", "--ca-file", "--signing-key", "--signing-format",
                           "--freeze-override"}}},
      {"rollback", ArgSpec{{"--plan", "--yes", "--merge"},
                           {"--env", "--repo", "--digest", "--ca-file", "--signing-key", "--signing-format",
                            "--freeze-override"}}},
      {"approve", ArgSpec{{"--yes", "--all"}, {"--env", "--repo", "--digest", "--sign-key", "--comment", "--ca-file",
                                               "--signing-key", "--signing-format"}}},
      {"status", ArgSpec{{}, {"--repo", "--ca-file", "--output"}}},
      {"history", ArgSpec{{}, {"--env", "--repo", "--ca-file", "--output"}}},
      {"gate-status", ArgSpec{{}, {"--env", "--repo", "--digest", "--ca-file"}}},
  };
  auto it = specs.find(command);
  if (it == specs.end()) throw Error("no options for '" + command + "'");
  return it->second;
}


std::string freeze_override_reason(const Args& args) {
  auto reason = args.value("--freeze-override");
  if (!reason) return "";
  std::string r = *reason;
  while (!r.empty() && r.back() == ' ') r.pop_back();
  while (!r.empty() && r.front() == ' ') r.erase(0, 1);
  if (r.empty()) throw InputError("--freeze-override needs a reason, like --freeze-override \"INC-42: payments down\"");
  for (unsigned char c : r)
    if (c < 0x20 || c == 0x7f) throw InputError("--freeze-override: the reason must be one line of text");
  return r;
}

promote::ManifestAccess manifest_access(const Args& args, Console& console, ManifestDeps& deps) {
  promote::ManifestAccess a;
  if (auto repo = args.value("--repo")) {
    a.repo = *repo;
  } else if (auto it = console.env.find("HOIST_MANIFEST_REPO"); it != console.env.end()) {
    a.repo = it->second;
  }
  if (a.repo.empty()) throw InputError("no manifest repository: pass --repo URL or set HOIST_MANIFEST_REPO");
  a.ca_file = args.value("--ca-file");
  a.env = console.env;
  a.processes = &deps.processes;
  std::ostream& err = console.err;
  a.log = [&err](std::string_view line) {
    if (line.rfind("warning:", 0) == 0) err << "hoist: " << line << "\n";
  };
  return a;
}

CommitSigner commit_signer(const Args& args, Console& console, ManifestDeps& deps) {
  return ready_commit_signer({args.value("--signing-key"), args.value("--signing-format"), "--signing-key",
                              "--signing-format"},
                             deps.processes, console.env);
}

}  // namespace hoist
