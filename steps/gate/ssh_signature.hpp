#pragma once
// SSH signatures over approval records, made and checked by OpenSSH's own `ssh-keygen -Y sign|verify` (namespace
// "hoist-approval"), so that an approval rests on a key an approver holds, not on an environment variable anyone
// can set. SignatureChecker is an interface so gate tests can also decide signatures without processes; the real
// SshKeygen is tested against the real ssh-keygen.

#include <map>
#include <string>
#include <string_view>

#include "runner/process/process.hpp"

namespace hoist::promote {

// The ssh signature namespace of approvals: a signature made for anything else (git commits, files) never counts.
inline constexpr std::string_view kApprovalNamespace = "hoist-approval";

struct SignatureCheck {
  bool valid = false;
  std::string reason;  // why not, when not valid: "signature does not verify for alice: ..."
};

class SignatureChecker {
 public:
  virtual ~SignatureChecker() = default;
  // Whether `signature` (armored, "-----BEGIN SSH SIGNATURE-----...") is a signature of exactly `content` in the
  // approval namespace, by a key that `allowed_signers` (the file's content) lists for `principal`.
  virtual SignatureCheck verify(std::string_view content, std::string_view signature, const std::string& principal,
                                const std::string& allowed_signers) = 0;
};

class SshKeygen : public SignatureChecker {
 public:
  // `env` is the environment ssh-keygen runs with (its PATH finds ssh-keygen).
  explicit SshKeygen(ProcessRunner& runner, std::map<std::string, std::string> env = current_environment());

  SignatureCheck verify(std::string_view content, std::string_view signature, const std::string& principal,
                        const std::string& allowed_signers) override;

  // Signs `content` with the private key at `key_path` (unencrypted, or unlocked by ssh-agent for a public key
  // path); returns the armored signature. Throws hoist::Error with ssh-keygen's message on failure.
  std::string sign(std::string_view content, const std::string& key_path);

 private:
  ProcessRunner& runner_;
  std::map<std::string, std::string> env_;
};

}  // namespace hoist::promote
