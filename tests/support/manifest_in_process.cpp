// See manifest_in_process.hpp.
#include "tests/support/manifest_in_process.hpp"

#include <sstream>

#include "runner/util/errors.hpp"

namespace hoist::test {

HoistRun run_manifest_command(ManifestCommand command, const std::vector<std::string>& args, const std::string& user,
                              const GitServer& git, const std::string& repo, ManifestDeps& deps,
                              const std::string& cwd) {
  std::ostringstream out, err;
  Console console{out, err, false,
                  {{"GITLAB_CI", "true"},
                   {"GITLAB_USER_LOGIN", user},
                   {"HOIST_MANIFEST_REPO", git.url(repo)},
                   {"HOIST_GIT_USERNAME", git.username()},
                   {"HOIST_GIT_PASSWORD", git.password()},
                   {"PATH", "/usr/bin:/bin"}},
                  cwd};
  HoistRun r;
  try {
    r.code = command(args, console, deps);
  } catch (const Error& e) {
    err << "hoist: error: " << e.what() << "\n";
    r.code = to_int(e.code());
  }
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace hoist::test
