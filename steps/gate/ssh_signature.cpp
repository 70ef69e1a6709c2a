// Signing and verifying approvals with ssh-keygen -Y (see ssh_signature.hpp).
#include "steps/gate/ssh_signature.hpp"

#include "runner/process/scratch_dir.hpp"
#include "runner/util/errors.hpp"
#include "steps/signing/signing_tool.hpp"
#include "steps/signing/ssh_sign.hpp"

namespace hoist::promote {

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
  const SigningToolRun run = run_signing_tool(runner_, spec);
  if (run.result.ok()) return {true, ""};
  return {false, "its signature does not verify for " + principal + " (" + describe_failure(run) + ")"};
}

std::string SshKeygen::sign(std::string_view content, const std::string& key_path) {
  return ssh_sign(runner_, env_, content, key_path, kApprovalNamespace, "the approval");
}

}  // namespace hoist::promote
