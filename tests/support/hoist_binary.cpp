// See hoist_binary.hpp.
#include "tests/support/hoist_binary.hpp"

#include <unistd.h>

#include <filesystem>
#include <memory>

#include "runner/process/subprocess.hpp"
#include "tests/support/command.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/temp_dir.hpp"

namespace hoist::test {
namespace {

const std::vector<std::string> kAsNobody = {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};

HoistRun run(std::vector<std::string> argv, const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env, const std::string& cwd, std::chrono::seconds limit) {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", "/tmp"}, {"CI", "true"}};
  for (const auto& [k, v] : env) spec.env[k] = v;
  spec.working_dir = cwd;
  spec.deadline = std::chrono::steady_clock::now() + limit;
  HoistRun r;
  CancelToken never;
  ProcessResult res = PosixProcessRunner().run(
      spec, [&](std::string_view line, OutputStream s) { (s == OutputStream::out ? r.out : r.err) += std::string(line) + "\n"; },
      never);
  r.code = res.exit_code;
  const std::string name = "hoist" + (args.empty() ? std::string() : " " + args.front());
  capture_output(name + " stdout", r.out);
  capture_output(name + " stderr", r.err);
  return r;
}

// The built binary if "nobody" can execute it where it is, else a copy in a directory every user can enter (kept
// until the test binary exits).
std::string binary_for_nobody() {
  static const std::string path = [] {
    Command probe;
    probe.argv = kAsNobody;
    probe.argv.insert(probe.argv.end(), {"test", "-x", HOIST_BINARY});
    if (run_command(probe).ok()) return std::string(HOIST_BINARY);
    static TempDir dir("hoist-bin");
    namespace fs = std::filesystem;
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    fs::copy_file(HOIST_BINARY, dir / "hoist");
    return dir.file("hoist");
  }();
  return path;
}

}  // namespace

HoistRun run_hoist(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                   const std::string& cwd, std::chrono::seconds limit) {
  return run({HOIST_BINARY}, args, env, cwd, limit);
}

HoistRun run_hoist_unprivileged(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                                const std::string& cwd, std::chrono::seconds limit) {
  if (::geteuid() != 0) return run({HOIST_BINARY}, args, env, cwd, limit);
  std::vector<std::string> argv = kAsNobody;
  argv.push_back(binary_for_nobody());
  return run(argv, args, env, cwd, limit);
}

}  // namespace hoist::test
