#pragma once
// Keys to sign commits with, made at test time by the real tools, and `git verify-commit` to check what Hoist signed:
//   SshSigningKey  an ed25519 key made by ssh-keygen (optionally with a passphrase) and the allowed_signers file
//                  git's gpg.ssh.allowedSignersFile reads;
//   GpgHome        a throwaway GNUPGHOME with one OpenPGP key made by gpg; its gpg-agent is stopped when it goes.

#include <map>
#include <string>

#include "tests/support/command.hpp"
#include "tests/support/temp_dir.hpp"

namespace hoist::test {

class SshSigningKey {
 public:
  // An ed25519 key for EMAIL (the allowed signer's principal); with PASSPHRASE, encrypted with it.
  explicit SshSigningKey(const std::string& email, const std::string& passphrase = "");
  const std::string& private_key() const { return private_key_; }
  std::string public_key_file() const { return private_key_ + ".pub"; }
  // "EMAIL namespaces=\"git\" ssh-ed25519 AAAA..." written to a file, for gpg.ssh.allowedSignersFile.
  const std::string& allowed_signers_file() const { return allowed_signers_; }

 private:
  TempDir dir_{"hoist-sshkey"};
  std::string private_key_, allowed_signers_;
};

// A running ssh-agent of its own (killed when this goes), holding the keys added to it.
class SshAgent {
 public:
  SshAgent();
  ~SshAgent();
  SshAgent(const SshAgent&) = delete;
  SshAgent& operator=(const SshAgent&) = delete;
  // ssh-add KEY; a key with a passphrase is unlocked with PASSPHRASE (through SSH_ASKPASS, never a terminal).
  void add(const SshSigningKey& key, const std::string& passphrase = "");
  std::map<std::string, std::string> env() const { return {{"SSH_AUTH_SOCK", socket_}}; }

 private:
  TempDir dir_{"hoist-agent"};
  std::string socket_;
  int pid_ = 0;
};

class GpgHome {
 public:
  // A keyring with one signing key for "NAME <EMAIL>"; with PASSPHRASE, protected by it.
  GpgHome(const std::string& name, const std::string& email, const std::string& passphrase = "");
  ~GpgHome();  // stops the gpg-agent that gpg started for this home
  GpgHome(const GpgHome&) = delete;
  GpgHome& operator=(const GpgHome&) = delete;
  std::string home() const { return dir_.path().string(); }
  const std::string& fingerprint() const { return fingerprint_; }
  std::map<std::string, std::string> env() const { return {{"GNUPGHOME", home()}}; }

 private:
  void stop_agent() const;
  TempDir dir_{"hoist-gpg"};
  std::string fingerprint_;
};

// `git verify-commit COMMIT` in the (bare) repository at GIT_DIR, with git's configuration isolated and CONFIG
// (-c key=value) and ENV added: exit 0 and git's "Good ... signature" on stderr when the signature verifies.
CommandResult verify_commit(const std::string& git_dir, const std::string& commit,
                            const std::map<std::string, std::string>& config = {},
                            const std::map<std::string, std::string>& env = {});

// `git cat-file commit COMMIT`: the commit object's text, its gpgsig header included.
std::string commit_text(const std::string& git_dir, const std::string& commit);

}  // namespace hoist::test
