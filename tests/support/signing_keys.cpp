// See signing_keys.hpp.
#include "tests/support/signing_keys.hpp"

#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

#include "tests/support/read_file.hpp"

namespace hoist::test {
namespace {

CommandResult must(const Command& c, const std::string& what) {
  CommandResult r = run_command(c);
  if (!r.ok()) throw std::runtime_error(what + " failed: " + r.err);
  return r;
}

}  // namespace

SshSigningKey::SshSigningKey(const std::string& email, const std::string& passphrase) {
  private_key_ = dir_.file("id_ed25519");
  Command keygen;
  keygen.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", email, "-f", private_key_};
  keygen.leak_checked = false;
  must(keygen, "ssh-keygen");
  allowed_signers_ = dir_.file("allowed_signers");
  std::ofstream(allowed_signers_) << email << " namespaces=\"git\" " << read_file(public_key_file());
}

SshAgent::SshAgent() {
  socket_ = dir_.file("agent.sock");
  Command start;
  start.argv = {"ssh-agent", "-s", "-a", socket_};
  const std::string out = must(start, "ssh-agent").out;  // "SSH_AGENT_PID=1234; export SSH_AGENT_PID;"
  const auto at = out.find("SSH_AGENT_PID=");
  if (at == std::string::npos) throw std::runtime_error("ssh-agent told no pid: " + out);
  pid_ = std::stoi(out.substr(at + 14));
}

SshAgent::~SshAgent() {
  if (pid_ > 0) ::kill(pid_, SIGTERM);
}

void SshAgent::add(const SshSigningKey& key, const std::string& passphrase) {
  const std::string askpass = dir_.file("askpass");
  std::ofstream(askpass) << "#!/bin/sh\necho '" << passphrase << "'\n";
  ::chmod(askpass.c_str(), 0700);
  Command add;
  add.argv = {"ssh-add", "-q", key.private_key()};
  add.set_env = {{"SSH_AUTH_SOCK", socket_}, {"SSH_ASKPASS", askpass}, {"SSH_ASKPASS_REQUIRE", "force"},
                 {"DISPLAY", ":0"}};
  add.leak_checked = false;
  must(add, "ssh-add");
}

GpgHome::GpgHome(const std::string& name, const std::string& email, const std::string& passphrase) {
  Command gen;
  gen.argv = {"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase, "--quick-generate-key",
              name + " <" + email + ">", "ed25519", "sign", "never"};
  gen.set_env = env();
  gen.leak_checked = false;
  must(gen, "gpg --quick-generate-key");
  Command list;
  list.argv = {"gpg", "--batch", "--with-colons", "--list-secret-keys", email};
  list.set_env = env();
  const std::string out = must(list, "gpg --list-secret-keys").out;
  const auto fpr = out.find("\nfpr:");
  if (fpr == std::string::npos) throw std::runtime_error("gpg listed no fingerprint: " + out);
  const auto start = out.find_first_not_of(':', fpr + 5);
  fingerprint_ = out.substr(start, out.find(':', start) - start);
  stop_agent();  // it would remember the passphrase it was just given
}

GpgHome::~GpgHome() { stop_agent(); }

void GpgHome::stop_agent() const {
  Command kill;
  kill.argv = {"gpgconf", "--kill", "gpg-agent"};
  kill.set_env = env();
  run_command(kill);
}

CommandResult verify_commit(const std::string& git_dir, const std::string& commit,
                            const std::map<std::string, std::string>& config,
                            const std::map<std::string, std::string>& env) {
  std::vector<std::string> args = {"--git-dir", git_dir};
  for (const auto& [key, value] : config) args.insert(args.end(), {"-c", key + "=" + value});
  args.insert(args.end(), {"verify-commit", commit});
  Command c = git_command(args);
  for (const auto& [k, v] : env) c.set_env[k] = v;
  return run_command(c);
}

std::string commit_text(const std::string& git_dir, const std::string& commit) {
  return run_command(git_command({"--git-dir", git_dir, "cat-file", "commit", commit})).out;
}

}  // namespace hoist::test
