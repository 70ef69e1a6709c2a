// See signing_tool.hpp.
#include "steps/signing/signing_tool.hpp"

#include <chrono>

#include "runner/util/errors.hpp"

namespace hoist {
namespace {

// Signing never needs long; a hung program (a passphrase prompt on a terminal) must not hang Hoist.
constexpr std::chrono::seconds kTimeout{30};

}  // namespace

SigningToolRun run_signing_tool(ProcessRunner& runner, ProcessSpec spec) {
  SigningToolRun run;
  run.tool = spec.argv.empty() ? std::string() : spec.argv.front();
  spec.deadline = std::chrono::steady_clock::now() + kTimeout;
  CancelToken never;
  run.result = runner.run(
      spec,
      [&](std::string_view line, OutputStream stream) {
        if (stream == OutputStream::out) {
          run.out += line;
          run.out += "\n";
        } else {
          while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);  // ssh-keygen: "\r\n"
          if (!line.empty()) run.last_error = std::string(line);
        }
      },
      never);
  return run;
}

std::string signature_from_tool(ProcessRunner& runner, const ProcessSpec& spec, std::string_view armor,
                                const std::string& failed) {
  const SigningToolRun run = run_signing_tool(runner, spec);
  if (!run.result.ok()) throw Error(failed + describe_failure(run));
  if (run.out.find(armor) == std::string::npos) throw Error(failed + run.tool + " printed no signature");
  return run.out;
}

std::string describe_failure(const SigningToolRun& run) {
  if (run.result.timed_out) return run.tool + " did not finish within " + std::to_string(kTimeout.count()) + "s";
  if (run.result.signal != 0) return run.tool + " was killed by signal " + std::to_string(run.result.signal);
  std::string why = run.tool + " exited with " + std::to_string(run.result.exit_code);
  return run.last_error.empty() ? why : why + ": " + run.last_error;
}

}  // namespace hoist
