// Signed approvals against the real ssh-keygen: ed25519 keys made at test time, signatures made with
// `ssh-keygen -Y sign` and checked with `ssh-keygen -Y verify` through the real process runner.
#include <catch2/catch.hpp>

#include "runner/process/subprocess.hpp"
#include "runner/util/errors.hpp"
#include "steps/gate/gate.hpp"
#include "tests/support/command.hpp"
#include "tests/support/gate_fixtures.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::promote;
using namespace hoist::test;

namespace {

// Keys for alice, bob and mallory in a temp dir; allowed_signers lists alice and bob only.
class Keys {
 public:
  Keys() {
    for (const char* who : {"alice", "bob", "mallory"}) {
      Command keygen;
      keygen.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", dir_.file(who)};
      CommandResult r = run_command(keygen);
      INFO(r.err);
      REQUIRE(r.ok());
    }
    allowed_signers = "alice " + read_file(dir_.file("alice.pub")) + "# comments are fine\n" + "bob " +
                      read_file(dir_.file("bob.pub"));
  }
  std::string key(const std::string& who) const { return dir_.file(who); }
  std::string allowed_signers;

 private:
  TempDir dir_{"hoist-keys"};
};

Policy signed_policy(const std::string& allowed_signers) {
  std::string signers;
  for (std::size_t start = 0, nl; (nl = allowed_signers.find('\n', start)) != std::string::npos; start = nl + 1)
    signers += "        " + allowed_signers.substr(start, nl - start) + "\n";
  return load_policy(R"(environments:
  staging: {branch: staging, file: s.yaml}
  prod:
    branch: master
    file: p.yaml
    after: staging
    gate:
      approvals: 1
      approvers: [alice, bob, carol]
      signed: true
      allowed_signers: |
)" + signers,
                     "hoist.yaml");
}

}  // namespace

TEST_CASE("ssh: a signature made by ssh-keygen verifies, and nothing else does", "[policy]") {
  Keys keys;
  PosixProcessRunner runner;
  SshKeygen ssh(runner);
  const std::string content = canonical_text(approval("alice"));
  const std::string sig = ssh.sign(content, keys.key("alice"));
  CHECK(sig.rfind("-----BEGIN SSH SIGNATURE-----\n", 0) == 0);

  CHECK(ssh.verify(content, sig, "alice", keys.allowed_signers).valid);
  SignatureCheck changed = ssh.verify(content + "x", sig, "alice", keys.allowed_signers);
  CHECK_FALSE(changed.valid);
  CHECK(changed.reason.rfind("its signature does not verify for alice (ssh-keygen exited with 255", 0) == 0);
  CHECK_FALSE(ssh.verify(content, sig, "bob", keys.allowed_signers).valid);
  CHECK_FALSE(ssh.verify(content, "", "alice", keys.allowed_signers).valid);
  CHECK_FALSE(ssh.verify(content, "garbage\n", "alice", keys.allowed_signers).valid);
  CHECK(ssh.verify(content, sig, "alice bob", keys.allowed_signers).reason ==
        "'alice bob' cannot be an ssh signer principal");
}

TEST_CASE("ssh: a signature in another namespace does not verify", "[policy]") {
  Keys keys;
  const std::string content = canonical_text(approval("alice"));
  Command sign;
  sign.argv = {"ssh-keygen", "-q", "-Y", "sign", "-f", keys.key("alice"), "-n", "git"};
  sign.input = content;
  CommandResult git_sig = run_command(sign);
  REQUIRE(git_sig.ok());
  PosixProcessRunner runner;
  SshKeygen ssh(runner);
  CHECK_FALSE(ssh.verify(content, git_sig.out, "alice", keys.allowed_signers).valid);
}

TEST_CASE("ssh: signing with a missing key says so", "[policy]") {
  PosixProcessRunner runner;
  SshKeygen ssh(runner);
  TempDir dir;
  CHECK_THROWS_AS(ssh.sign("content\n", dir.file("no-such-key")), Error);
}

TEST_CASE("signed gate: a valid signature by an allowed signer counts", "[policy]") {
  Keys keys;
  PosixProcessRunner runner;
  SshKeygen ssh(runner);
  ApprovalRecord r = approval("alice");
  r.signature = ssh.sign(canonical_text(r), keys.key("alice"));
  const GateVerdict v = evaluate_gate(signed_policy(keys.allowed_signers), staging_to_prod(), {r}, kNow, ssh);
  INFO(v.describe());
  CHECK(v.allowed);
  CHECK(v.records[0].reason == "counted (signature verified)");
}

TEST_CASE("signed gate: a record changed after signing does not count", "[policy]") {
  Keys keys;
  PosixProcessRunner runner;
  SshKeygen ssh(runner);
  ApprovalRecord r = approval("alice");
  r.signature = ssh.sign(canonical_text(r), keys.key("alice"));
  r.time = kNow - std::chrono::minutes(1);  // moved later after signing, to stretch the approval's life
  const GateVerdict v = evaluate_gate(signed_policy(keys.allowed_signers), staging_to_prod(), {r}, kNow, ssh);
  CHECK_FALSE(v.allowed);
  CHECK(v.records[0].reason.rfind("not counted: its signature does not verify for alice", 0) == 0);
}

TEST_CASE("signed gate: a signature by a key not in allowed_signers does not count", "[policy]") {
  Keys keys;
  PosixProcessRunner runner;
  SshKeygen ssh(runner);
  ApprovalRecord r = approval("bob");
  r.signature = ssh.sign(canonical_text(r), keys.key("mallory"));  // mallory signs in bob's name
  const GateVerdict v = evaluate_gate(signed_policy(keys.allowed_signers), staging_to_prod(), {r}, kNow, ssh);
  CHECK_FALSE(v.allowed);
  CHECK(v.records[0].reason.rfind("not counted: its signature does not verify for bob", 0) == 0);
}

TEST_CASE("signed gate: a signature whose principal differs from the approver does not count", "[policy]") {
  Keys keys;
  PosixProcessRunner runner;
  SshKeygen ssh(runner);
  // carol is an approver but has no key in allowed_signers; alice signs a record naming carol.
  ApprovalRecord r = approval("carol");
  r.signature = ssh.sign(canonical_text(r), keys.key("alice"));
  // bob signs his own record, but it names alice as the approver.
  ApprovalRecord s = approval("alice");
  s.signature = ssh.sign(canonical_text(s), keys.key("bob"));
  const GateVerdict v = evaluate_gate(signed_policy(keys.allowed_signers), staging_to_prod(), {r, s}, kNow, ssh);
  CHECK_FALSE(v.allowed);
  CHECK(v.records[0].reason.rfind("not counted: its signature does not verify for carol", 0) == 0);
  CHECK(v.records[1].reason.rfind("not counted: its signature does not verify for alice", 0) == 0);
}

TEST_CASE("signed gate: an unsigned record does not count", "[policy]") {
  Keys keys;
  PosixProcessRunner runner;
  SshKeygen ssh(runner);
  const GateVerdict v =
      evaluate_gate(signed_policy(keys.allowed_signers), staging_to_prod(), {approval("alice")}, kNow, ssh);
  CHECK_FALSE(v.allowed);
  CHECK(v.records[0].reason == "not counted: it is not signed (signed: true)");
}
