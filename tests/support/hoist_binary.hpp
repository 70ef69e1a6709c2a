#pragma once
// Running the built hoist binary the way CI does (CI=true, a minimal PATH and HOME, no terminal), for end-to-end
// tests of the command line: exit codes, stdout and stderr exactly as a user sees them.

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace hoist::test {

struct HoistRun {
  int code = -1;
  std::string out, err;
  std::string all() const { return out + err; }
};

// `env` adds to (or overrides) CI=true, PATH and HOME. Runs in `cwd` (the source tree by default); killed after
// `limit` as a hang guard.
HoistRun run_hoist(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                   const std::string& cwd = HOIST_SOURCE_DIR,
                   std::chrono::seconds limit = std::chrono::seconds(120));

// The same as an unprivileged user, so that file permissions hold: as root (the tests usually are) hoist runs as
// "nobody"/"nogroup" through setpriv, since root reads a mode-000 file; as anyone else, as that user. `cwd` and every
// path in `env` must be reachable and, where hoist writes (HOME, HOIST_CACHE), writable by that user. When "nobody"
// cannot reach the built binary, a copy in a temporary directory of its own is run instead.
HoistRun run_hoist_unprivileged(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env, const std::string& cwd,
                                std::chrono::seconds limit = std::chrono::seconds(120));

}  // namespace hoist::test
