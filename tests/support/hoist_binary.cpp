// See hoist_binary.hpp.
#include "tests/support/hoist_binary.hpp"

#include "runner/subprocess.hpp"
#include "tests/support/known_secrets.hpp"

namespace hoist::test {

HoistRun run_hoist(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                   const std::string& cwd, std::chrono::seconds limit) {
  ProcessSpec spec;
  spec.argv = {HOIST_BINARY};
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

}  // namespace hoist::test
