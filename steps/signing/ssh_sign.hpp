#pragma once
// SSH signatures, made by OpenSSH's own `ssh-keygen -Y sign`: the one place Hoist runs it, for commits (namespace
// "git", which `git verify-commit` checks) and for approval records (namespace "hoist-approval").

#include <map>
#include <string>
#include <string_view>

#include "runner/process/process.hpp"

namespace hoist {

// The namespace git signs and verifies commits in.
inline constexpr std::string_view kGitSshNamespace = "git";

// Signs CONTENT in NAMESPACE and returns the armored signature ("-----BEGIN SSH SIGNATURE-----..."). KEY is, as in
// git's user.signingkey, a private key file without a passphrase, a public key file whose private key ssh-agent
// holds (SSH_AUTH_SOCK in ENV), or "key::<public key>" for a key ssh-agent holds; a leading "~/" is $HOME. ENV is
// the environment ssh-keygen runs with (its PATH finds ssh-keygen); it never asks for a passphrase. Throws
// hoist::Error "cannot sign WHAT with ssh key KEY: <ssh-keygen's message>".
std::string ssh_sign(ProcessRunner& runner, const std::map<std::string, std::string>& env, std::string_view content,
                     const std::string& key, std::string_view ns, const std::string& what);

}  // namespace hoist
