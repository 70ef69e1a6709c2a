#pragma once
// Running a manifest command (promote_command, approve_command, ...) in process, as the hoist binary would as GitLab
// CI user USER against REPO on the real git server, with the outside world the test chooses (ManifestDeps: prompt,
// resolver, processes, clock). Errors become exit codes and "hoist: error: ..." as in cli.cpp.

#include <string>
#include <vector>

#include "runner/cli/manifest_commands.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"

namespace hoist::test {

using ManifestCommand = int (*)(const std::vector<std::string>&, Console&, ManifestDeps&);

HoistRun run_manifest_command(ManifestCommand command, const std::vector<std::string>& args, const std::string& user,
                              const GitServer& git, const std::string& repo, ManifestDeps& deps,
                              const std::string& cwd);

}  // namespace hoist::test
