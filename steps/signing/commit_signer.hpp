#pragma once
// Which key signs the commits Hoist makes (bumps, promotions, rollbacks, approval records), and the function the git
// client signs each commit's text with (CommitSigner, steps/git/commit_files.hpp).
//
// The key, the first one found:
//   1. the step's `signing_key` / the command's --signing-key;
//   2. HOIST_SIGNING_KEY;
//   3. git's user.signingkey when git's commit.gpgsign is true (unset: gpg's default key, for openpgp).
// The format: `signing_format` / --signing-format, else HOIST_SIGNING_FORMAT, else git's gpg.format, else openpgp.
// Nothing configured: commits are not signed. SSH signatures go through steps/signing/ssh_sign (namespace "git"),
// OpenPGP ones through steps/signing/openpgp_sign; either way `git verify-commit` checks them.
//
//   CommitSigner sign = ready_commit_signer({spec.signing_key, spec.signing_format}, runner, env);
//   request.sign = sign;   // empty when nothing is configured

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "runner/process/process.hpp"
#include "steps/git/commit_files.hpp"
#include "steps/git/git_signing_config.hpp"

namespace hoist {

enum class SigningFormat { openpgp, ssh };

struct SigningKey {
  SigningFormat format = SigningFormat::openpgp;
  std::string key;     // ssh: a key file or "key::<public key>"; openpgp: gpg's --local-user, "" for the default key
  std::string origin;  // where it was configured, for messages: "--signing-key", "HOIST_SIGNING_KEY", ...
};

// What a step or a command asks for, and the names of its options for messages.
struct SigningRequest {
  std::optional<std::string> key;
  std::optional<std::string> format;
  std::string key_option = "signing_key";        // or "--signing-key"
  std::string format_option = "signing_format";  // or "--signing-format"
};

// Whether TEXT names a format Hoist signs with: "openpgp" or "ssh" (git's gpg.format names; x509 is not one).
bool is_signing_format(const std::string& text);

// "openpgp" or "ssh"; throws InputError naming WHERE and the value otherwise (x509 is not supported).
SigningFormat parse_signing_format(const std::string& text, const std::string& where);

// The key, as the rules above choose it from GIVEN, ENV (HOIST_SIGNING_KEY, HOIST_SIGNING_FORMAT) and GIT_CONFIG
// (called only when needed); nullopt when nothing asks for signing. Throws InputError for a bad format, a format
// given without any key, or ssh signing from git's configuration without user.signingkey.
std::optional<SigningKey> choose_signing_key(const SigningRequest& given, const std::map<std::string, std::string>& env,
                                             const std::function<GitSigningConfig()>& git_config);

// Signs commit texts with KEY; the signing program runs through RUNNER with ENV (PATH, HOME, GNUPGHOME,
// SSH_AUTH_SOCK). RUNNER must outlive the result.
CommitSigner make_commit_signer(const SigningKey& key, ProcessRunner& runner, std::map<std::string, std::string> env);

// Signs a fixed text once with SIGN, so that a configured key that cannot sign (a missing file, a passphrase nobody
// can type, the wrong format) fails before anything is fetched or pushed. Throws InputError (exit 2) with the
// signing program's message and where the key was configured.
void check_commit_signer(const CommitSigner& sign, const SigningKey& key);

// choose_signing_key (git's configuration from git_signing_config), make_commit_signer and check_commit_signer: the
// checked signer of every commit Hoist makes, or an empty one when nothing asks for signing.
CommitSigner ready_commit_signer(const SigningRequest& given, ProcessRunner& runner,
                                 const std::map<std::string, std::string>& env);

}  // namespace hoist
