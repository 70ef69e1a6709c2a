// Signed promotion, rollback and approval commits, end to end through the hoist binary against the real git server,
// checked by the real `git verify-commit`: SSH keys from --signing-key or HOIST_SIGNING_KEY (gpg.ssh.
// allowedSignersFile), an OpenPGP key from a throwaway keyring; the `promote` and `approve` steps' signing_key; and
// a key that cannot sign makes promote, rollback and approve exit 2 before anything is pushed.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/command.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/signing_keys.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";

std::string repo_dir(const GitServer& git) { return git.repo_path(kRepo).string(); }

std::vector<std::string> approval_refs(const GitServer& git) {
  auto out = run_command(git_command({"--git-dir=" + repo_dir(git), "for-each-ref", "--format=%(refname)",
                                      "refs/hoist/approvals/"}))
                 .out;
  std::vector<std::string> refs;
  for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1)
    refs.push_back(out.substr(start, end - start));
  return refs;
}

HoistRun ok(HoistRun r) {
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return r;
}

bool ssh_verifies(const GitServer& git, const std::string& rev, const SshSigningKey& key) {
  CommandResult v = verify_commit(repo_dir(git), rev, {{"gpg.ssh.allowedSignersFile", key.allowed_signers_file()}});
  INFO(rev << ": " << v.err);
  return v.ok() && v.err.rfind("Good \"git\" signature for ", 0) == 0;
}

}  // namespace

TEST_CASE("promotions, approvals and a rollback are signed, git verify-commit accepts each", "[promote][signing]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  SshSigningKey ci_key("ci@example.invalid");
  SshSigningKey alice_key("alice@example.invalid");
  GpgHome gpg("Erin Release", "erin@example.invalid");

  // HOIST_SIGNING_KEY / HOIST_SIGNING_FORMAT sign a promotion.
  ok(hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"},
              {{"HOIST_SIGNING_KEY", ci_key.private_key()}, {"HOIST_SIGNING_FORMAT", "ssh"}}));
  CHECK(ssh_verifies(git, "staging", ci_key));
  CHECK_FALSE(ssh_verifies(git, "staging", alice_key));

  // --signing-key signs an approval's commit; an approval without a key is not signed.
  ok(hoist_as("alice", git, kRepo, {"approve", "api-gateway", "--env", "prod", "--yes", "--signing-key",
                                    alice_key.private_key(), "--signing-format", "ssh"}));
  auto refs = approval_refs(git);
  REQUIRE(refs.size() == 1);
  CHECK(ssh_verifies(git, refs[0], alice_key));
  ok(hoist_as("bob", git, kRepo, {"approve", "api-gateway", "--env", "prod", "--yes"}));
  for (const auto& ref : approval_refs(git))
    if (ref != refs[0]) CHECK(commit_text(repo_dir(git), ref).find("gpgsig") == std::string::npos);

  // OpenPGP from a keyring: the promotion into prod.
  ok(hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"},
              {{"GNUPGHOME", gpg.home()}, {"HOIST_SIGNING_KEY", "erin@example.invalid"}}));
  CHECK_THAT(git.message(kRepo, "master"), Catch::Contains("Hoist-Promoted-From: staging"));
  CommandResult v = verify_commit(repo_dir(git), "master", {}, gpg.env());
  INFO(v.err);
  CHECK(v.ok());
  CHECK_THAT(v.err, Catch::Contains("Good signature from \"Erin Release <erin@example.invalid>\""));

  // A rollback, signed with --signing-key.
  ok(hoist_as("alice", git, kRepo, {"approve", "api-gateway", "--env", "prod", "--yes", "--digest", kD0}));
  ok(hoist_as("carol", git, kRepo, {"approve", "api-gateway", "--env", "prod", "--yes", "--digest", kD0}));
  ok(hoist_as("erin", git, kRepo, {"rollback", "api-gateway", "--env", "prod", "--yes", "--signing-key",
                                   ci_key.private_key(), "--signing-format", "ssh"}));
  CHECK_THAT(git.message(kRepo, "master"), Catch::Contains("Hoist-Rollback-From: " + kD1));
  CHECK(ssh_verifies(git, "master", ci_key));
}

TEST_CASE("a key that cannot sign: promote, rollback and approve exit 2 before anything is pushed",
          "[promote][signing]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  TempDir dir;
  const std::string missing = dir.file("no-such-key");
  const std::string staging = *git.head(kRepo, "staging");

  HoistRun promote = hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "qa", "--to", "staging",
                                                   "--yes", "--signing-key", missing, "--signing-format", "ssh"});
  CHECK(promote.code == 2);
  CHECK(promote.out.empty());
  CHECK(promote.err == "hoist: error: cannot sign commits with ssh key " + missing +
                           ": ssh-keygen exited with 255: Couldn't load public key " + missing +
                           ": No such file or directory (the key comes from --signing-key); nothing was pushed\n");
  CHECK(*git.head(kRepo, "staging") == staging);

  const std::string secret = "correct horse battery staple";
  SshSigningKey locked("alice@example.invalid", secret);
  HoistRun approve = hoist_as("alice", git, kRepo, {"approve", "api-gateway", "--env", "prod", "--yes"},
                              {{"HOIST_SIGNING_KEY", locked.private_key()}, {"HOIST_SIGNING_FORMAT", "ssh"}});
  INFO(approve.err);
  CHECK(approve.code == 2);
  CHECK_THAT(approve.err, Catch::StartsWith("hoist: error: cannot sign commits with ssh key " + locked.private_key() +
                                            ": ssh-keygen exited with 255: "));
  CHECK_THAT(approve.err, Catch::EndsWith("(the key comes from HOIST_SIGNING_KEY); nothing was pushed\n"));
  CHECK(approve.all().find(secret) == std::string::npos);
  CHECK(approval_refs(git).empty());

  // An ssh key given as an openpgp one (the default format): gpg has no such secret key.
  SshSigningKey key("erin@example.invalid");
  GpgHome empty("Nobody", "nobody@example.invalid");
  const std::string master = *git.head(kRepo, "master");
  HoistRun rollback = hoist_as("erin", git, kRepo, {"rollback", "api-gateway", "--env", "prod", "--yes",
                                                    "--signing-key", key.private_key()},
                               empty.env());
  INFO(rollback.err);
  CHECK(rollback.code == 2);
  CHECK_THAT(rollback.err, Catch::StartsWith("hoist: error: cannot sign commits with openpgp key " +
                                             key.private_key() + ": gpg exited with 2: "));
  CHECK(*git.head(kRepo, "master") == master);
}

TEST_CASE("the promote and approve steps sign with signing_key, a bad signing_format is found at load time",
          "[promote][signing]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  SshSigningKey key("ci@example.invalid");
  TempDir dir;
  const std::string file = dir.file("ship.yaml");
  std::ofstream(file) << "version: 1\nname: ship\nsteps:\n  - id: go\n    uses: promote\n    with:\n"
                      << "      app: api-gateway\n      from: qa\n      to: staging\n      repo: \"" << git.url(kRepo)
                      << "\"\n      signing_key: " << key.private_key() << "\n      signing_format: ssh\n"
                      << "  - id: ok\n    uses: approve\n    needs: [go]\n    with:\n      app: api-gateway\n"
                      << "      env: prod\n      repo: \"" << git.url(kRepo) << "\"\n      signing_key: "
                      << key.private_key() << "\n      signing_format: ssh\n";
  ok(hoist_as("alice", git, kRepo, {"run", file}));
  CHECK(ssh_verifies(git, "staging", key));
  auto refs = approval_refs(git);
  REQUIRE(refs.size() == 1);
  CHECK(ssh_verifies(git, refs[0], key));

  const std::string bad = dir.file("bad.yaml");
  std::ofstream(bad) << "version: 1\nname: ship\nsteps:\n  - id: go\n    uses: promote\n    with:\n"
                     << "      app: api-gateway\n      from: qa\n      to: staging\n      repo: x\n"
                     << "      signing_format: x509\n";
  HoistRun r = hoist_as("alice", git, kRepo, {"validate", bad});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.yaml:11:23: 'signing_format' must be openpgp or ssh, got 'x509'"));
}
