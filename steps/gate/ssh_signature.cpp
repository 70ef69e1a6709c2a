// Signing and verifying approvals with ssh-keygen -Y (see ssh_signature.hpp).
#include "steps/gate/ssh_signature.hpp"

#include <chrono>

#include "runner/process/scratch_dir.hpp"
#include "runner/util/errors.hpp"

namespace hoist::promote {
namespace {

// ssh-keygen never needs long; a hung one (a passphrase prompt on a terminal) must not hang Hoist.
constexpr std::chrono::seconds kTimeout{30};

struct Output {
  ProcessResult result;
  std::string out;
  std::string last_error;  // the last non-empty line on stderr
};

Output run(ProcessRunner& runner, ProcessSpec spec) {
  spec.deadline = std::chrono::steady_clock::now() + kTimeout;
  Output o;
  CancelToken never;
  o.result = runner.run(
      spec,
      [&](std::string_view line, OutputStream stream) {
        if (stream == OutputStream::out) {
          o.out += line;
          o.out += "\n";
        } else if (!line.empty()) {
          o.last_error = std::string(line);
        }
      },
      never);
  return o;
}

std::string describe_failure(const Output& o) {
  if (o.result.timed_out) return "ssh-keygen did not finish within " + std::to_string(kTimeout.count()) + "s";
  if (o.result.signal != 0) return "ssh-keygen was killed by signal " + std::to_string(o.result.signal);
  std::string why = "ssh-keygen exited with " + std::to_string(o.result.exit_code);
  return o.last_error.empty() ? why : why + ": " + o.last_error;
}

}  // namespace

SshKeygen::SshKeygen(ProcessRunner& runner, std::map<std::string, std::string> env)
    : runner_(runner), env_(std::move(env)) {}

SignatureCheck SshKeygen::verify(std::string_view content, std::string_view signature, const std::string& principal,
                                 const std::string& allowed_signers) {
  if (signature.empty()) return {false, "it has no signature"};
  if (principal.empty() || principal.find_first_of(" \t\r\n,*?") != std::string::npos)
    return {false, "'" + principal + "' cannot be an ssh signer principal"};
  ScratchDir dir("hoist-verify");
  const std::string signers = dir.write("allowed_signers", allowed_signers);
  const std::string sig = dir.write("approval.sig", signature);
  ProcessSpec spec;
  spec.argv = {"ssh-keygen", "-Y", "verify", "-f", signers, "-I", principal, "-n", std::string(kApprovalNamespace),
               "-s", sig};
  spec.env = env_;
  spec.stdin_data = std::string(content);
  const Output o = run(runner_, spec);
  if (o.result.ok()) return {true, ""};
  return {false, "its signature does not verify for " + principal + " (" + describe_failure(o) + ")"};
}

std::string SshKeygen::sign(std::string_view content, const std::string& key_path) {
  ProcessSpec spec;
  spec.argv = {"ssh-keygen", "-q", "-Y", "sign", "-f", key_path, "-n", std::string(kApprovalNamespace)};
  spec.env = env_;
  spec.stdin_data = std::string(content);
  const Output o = run(runner_, spec);
  if (!o.result.ok()) throw Error("cannot sign the approval with " + key_path + ": " + describe_failure(o));
  if (o.out.find("-----BEGIN SSH SIGNATURE-----") == std::string::npos)
    throw Error("cannot sign the approval with " + key_path + ": ssh-keygen printed no signature");
  return o.out;
}

}  // namespace hoist::promote
