// Signed bump commits, checked by the real `git verify-commit`: SSH signatures (ssh-keygen -Y sign, checked through
// gpg.ssh.allowedSignersFile) and OpenPGP ones (gpg, checked with a throwaway keyring); the key from --signing-key,
// HOIST_SIGNING_KEY or git's commit.gpgsign; a commit made again on a moved branch is signed again; and a key that
// cannot sign fails before the push, the branch unchanged and no passphrase printed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "runner/process/subprocess.hpp"
#include "runner/util/errors.hpp"
#include "steps/git/bump_transaction.hpp"
#include "steps/signing/commit_signer.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/signing_keys.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using test::GitServer;
using test::HoistRun;

namespace {

const std::string kFile = "api/qa.values.yaml";
const std::string kValues = "image:\n  repository: registry.example.com/shop/api\n  tag: \"1.0.0\"\n";
const std::string kAuthor = "Dee Ploy <dee@example.invalid>";

struct Manifests {
  GitServer git;
  Manifests() { git.create_repo("manifests", {{"qa", {{kFile, kValues}}}}); }
  std::string head() const { return git.head("manifests", "qa").value_or(""); }
  std::string dir() const { return git.repo_path("manifests").string(); }
  std::map<std::string, std::string> env() const {
    return {{"HOIST_GIT_USERNAME", git.username()}, {"HOIST_GIT_PASSWORD", git.password()}};
  }
  HoistRun bump(std::vector<std::string> extra, std::map<std::string, std::string> more_env = {},
                const std::string& tag = "1.1.0") const {
    std::vector<std::string> args = {"bump", "--repo", git.url("manifests"), "--branch", "qa", "--file", kFile,
                                     "--set", "image.tag=" + tag, "--author", kAuthor};
    args.insert(args.end(), extra.begin(), extra.end());
    std::map<std::string, std::string> e = env();
    for (auto& [k, v] : more_env) e[k] = v;
    return test::run_hoist(args, e);
  }
};

std::map<std::string, std::string> with(std::map<std::string, std::string> env,
                                        const std::map<std::string, std::string>& more) {
  for (const auto& [k, v] : more) env[k] = v;
  return env;
}

GitSigningConfig no_git_config() { return {}; }

}  // namespace

TEST_CASE("signing key: the step's, else HOIST_SIGNING_KEY, else git's when commit.gpgsign is true", "[signing]") {
  const std::map<std::string, std::string> env = {{"HOIST_SIGNING_KEY", "/keys/env"}};
  int git_reads = 0;
  auto git = [&] {
    ++git_reads;
    return GitSigningConfig{true, "/keys/git", "ssh"};
  };

  auto step = choose_signing_key({"/keys/step", "ssh"}, env, git);
  REQUIRE(step);
  CHECK(step->key == "/keys/step");
  CHECK(step->format == SigningFormat::ssh);
  CHECK(step->origin == "signing_key");
  CHECK(git_reads == 0);

  auto from_env = choose_signing_key({}, env, git);
  REQUIRE(from_env);
  CHECK(from_env->key == "/keys/env");
  CHECK(from_env->origin == "HOIST_SIGNING_KEY");
  CHECK(from_env->format == SigningFormat::ssh);  // git's gpg.format, as git would sign with it

  auto from_git = choose_signing_key({}, {}, git);
  REQUIRE(from_git);
  CHECK(from_git->key == "/keys/git");
  CHECK(from_git->format == SigningFormat::ssh);

  CHECK_FALSE(choose_signing_key({}, {}, [] { return GitSigningConfig{false, "/keys/git", "ssh"}; }));
  CHECK_FALSE(choose_signing_key({}, {}, no_git_config));

  auto openpgp = choose_signing_key({}, with(env, {{"HOIST_SIGNING_FORMAT", "openpgp"}}), git);
  REQUIRE(openpgp);
  CHECK(openpgp->format == SigningFormat::openpgp);
  auto default_key = choose_signing_key({}, {}, [] { return GitSigningConfig{true, "", ""}; });
  REQUIRE(default_key);
  CHECK(default_key->key.empty());  // gpg's default key
  CHECK(default_key->format == SigningFormat::openpgp);
}

TEST_CASE("signing key: a bad format, a format without a key, an ssh key git does not name", "[signing]") {
  CHECK_THROWS_WITH(choose_signing_key({"k", "x509"}, {}, no_git_config),
                    "signing_format: 'x509' is not a signing format Hoist signs with: openpgp or ssh");
  CHECK_THROWS_WITH(choose_signing_key({}, {{"HOIST_SIGNING_KEY", "k"}, {"HOIST_SIGNING_FORMAT", "gpg"}}, no_git_config),
                    "HOIST_SIGNING_FORMAT: 'gpg' is not a signing format Hoist signs with: openpgp or ssh");
  CHECK_THROWS_WITH(choose_signing_key({std::nullopt, "ssh", "--signing-key", "--signing-format"}, {}, no_git_config),
                    "--signing-format is given but no signing key: give --signing-key or HOIST_SIGNING_KEY");
  CHECK_THROWS_WITH(choose_signing_key({}, {}, [] { return GitSigningConfig{true, "", "ssh"}; }),
                    "commit.gpgsign is true and the signing format is ssh, but git config user.signingkey is not set");
}

TEST_CASE("hoist bump --signing-key signs the commit with ssh, git verify-commit accepts it", "[signing][bump]") {
  Manifests m;
  test::SshSigningKey key("dee@example.invalid");
  HoistRun r = m.bump({"--signing-key", key.private_key(), "--signing-format", "ssh"});
  INFO(r.all());
  REQUIRE(r.code == 0);
  const std::string head = m.head();
  // Laid out as git lays it out: continuation lines start with a space, the message follows one blank line.
  const std::string text = test::commit_text(m.dir(), head);
  CHECK_THAT(text, Catch::Contains("\ngpgsig -----BEGIN SSH SIGNATURE-----\n "));
  CHECK_THAT(text, Catch::Contains("\n -----END SSH SIGNATURE-----\n\napi: 1.0.0 → 1.1.0\n"));
  test::CommandResult v = test::verify_commit(m.dir(), head, {{"gpg.ssh.allowedSignersFile", key.allowed_signers_file()}});
  INFO(v.err);
  CHECK(v.ok());
  CHECK_THAT(v.err, Catch::StartsWith("Good \"git\" signature for dee@example.invalid with ED25519 key SHA256:"));

  // Another key's allowed_signers: the same commit does not verify (the check above could fail).
  test::SshSigningKey other("dee@example.invalid");
  CHECK_FALSE(test::verify_commit(m.dir(), head, {{"gpg.ssh.allowedSignersFile", other.allowed_signers_file()}}).ok());
}

TEST_CASE("HOIST_SIGNING_KEY signs a pipeline's bump with openpgp, git verify-commit accepts it", "[signing][bump]") {
  Manifests m;
  test::GpgHome gpg("Dee Ploy", "dee@example.invalid");
  test::TempDir dir;
  const std::string pipeline = dir.file("p.yaml");
  std::ofstream(pipeline) << "version: 1\nname: deploy\nsteps:\n  - id: qa\n    uses: manifest/bump\n    with:\n"
                          << "      repo: " << m.git.url("manifests") << "\n      branch: qa\n      file: " << kFile
                          << "\n      set: {image.tag: \"1.2.0\"}\n      author: " << kAuthor << "\n";
  HoistRun r = test::run_hoist({"run", pipeline}, with(m.env(), with(gpg.env(), {{"HOIST_SIGNING_KEY", "dee@example.invalid"}})));
  INFO(r.all());
  REQUIRE(r.code == 0);
  const std::string head = m.head();
  CHECK_THAT(test::commit_text(m.dir(), head), Catch::Contains("\ngpgsig -----BEGIN PGP SIGNATURE-----\n "));
  test::CommandResult v = test::verify_commit(m.dir(), head, {}, gpg.env());
  INFO(v.err);
  CHECK(v.ok());
  CHECK_THAT(v.err, Catch::Contains("Good signature from \"Dee Ploy <dee@example.invalid>\""));
  // Without the keyring there is nothing to check it against.
  test::GpgHome stranger("Someone Else", "else@example.invalid");
  CHECK_FALSE(test::verify_commit(m.dir(), head, {}, stranger.env()).ok());
}

TEST_CASE("a key ssh-agent holds signs by its public key file or as key::, passphrase and all", "[signing][bump]") {
  Manifests m;
  const std::string secret = "correct horse battery staple";
  test::SshSigningKey key("dee@example.invalid", secret);
  test::SshAgent agent;
  agent.add(key, secret);
  const std::map<std::string, std::string> config = {{"gpg.ssh.allowedSignersFile", key.allowed_signers_file()}};

  HoistRun by_file = m.bump({"--signing-key", key.public_key_file(), "--signing-format", "ssh"}, agent.env());
  INFO(by_file.all());
  REQUIRE(by_file.code == 0);
  CHECK(test::verify_commit(m.dir(), m.head(), config).ok());

  std::string literal = test::read_file(key.public_key_file());
  literal.pop_back();  // the newline
  HoistRun by_literal = m.bump({"--signing-key", "key::" + literal, "--signing-format", "ssh"}, agent.env(), "1.2.0");
  INFO(by_literal.all());
  REQUIRE(by_literal.code == 0);
  CHECK(test::verify_commit(m.dir(), m.head(), config).ok());
  CHECK(by_file.all().find(secret) == std::string::npos);

  // Without the agent the same public key cannot sign: it fails before the push.
  const std::string before = m.head();
  HoistRun no_agent = m.bump({"--signing-key", key.public_key_file(), "--signing-format", "ssh"}, {}, "1.3.0");
  CHECK(no_agent.code == 2);  // a signing key that cannot sign is bad input, and the step's code the command's
  CHECK_THAT(no_agent.out, Catch::Contains("cannot sign commits with ssh key " + key.public_key_file() +
                                           ": ssh-keygen exited with 255: "));
  CHECK(m.head() == before);
}

TEST_CASE("git's commit.gpgsign, user.signingkey and gpg.format sign a bump", "[signing][bump]") {
  Manifests m;
  test::SshSigningKey key("dee@example.invalid");
  test::TempDir home;
  std::ofstream(home / ".gitconfig") << "[commit]\n\tgpgsign = true\n[gpg]\n\tformat = ssh\n[user]\n\tsigningkey = "
                                     << key.private_key() << "\n";
  HoistRun r = m.bump({}, {{"HOME", home.path().string()}});
  INFO(r.all());
  REQUIRE(r.code == 0);
  CHECK(test::verify_commit(m.dir(), m.head(), {{"gpg.ssh.allowedSignersFile", key.allowed_signers_file()}}).ok());

  // gpgsign false: the same configuration signs nothing.
  std::ofstream(home / ".gitconfig") << "[commit]\n\tgpgsign = false\n[gpg]\n\tformat = ssh\n[user]\n\tsigningkey = "
                                     << key.private_key() << "\n";
  HoistRun again = m.bump({}, {{"HOME", home.path().string()}}, "1.3.0");
  INFO(again.all());
  REQUIRE(again.code == 0);
  CHECK(test::commit_text(m.dir(), m.head()).find("gpgsig") == std::string::npos);
}

TEST_CASE("a bump refused by a moving branch is made again and signed again", "[signing][git]") {
  Manifests m;
  test::SshSigningKey key("dee@example.invalid");
  PosixProcessRunner runner;
  BumpRequest req;
  req.repo = m.git.url("manifests");
  req.branch = "qa";
  req.files = {kFile};
  req.creds.username = m.git.username();
  req.creds.password = m.git.password();
  req.author = req.committer = {"Dee Ploy", "dee@example.invalid", std::nullopt, 0};
  req.message = "api: 1.0.0 -> 2.0.0\n";
  req.sign = make_commit_signer({SigningFormat::ssh, key.private_key(), "test"}, runner, current_environment());
  std::vector<std::string> signed_commits;
  BumpEnv env;
  env.before_push = [&](int attempt, const std::string& commit) {
    signed_commits.push_back(commit);
    if (attempt == 1) m.git.commit("manifests", "qa", {{"web/qa.values.yaml", "tag: w\n"}}, "web: w");
  };
  BumpResult r = run_bump(req, [](const FileSnapshot& s) {
    std::string text = *s.files.at(kFile);
    text.replace(text.find("1.0.0"), 5, "2.0.0");
    return std::map<std::string, std::string>{{kFile, text}};
  }, env);
  CHECK(r.attempts == 2);
  REQUIRE(signed_commits.size() == 2);
  CHECK(m.head() == signed_commits[1]);
  const std::map<std::string, std::string> config = {{"gpg.ssh.allowedSignersFile", key.allowed_signers_file()}};
  CHECK(test::verify_commit(m.dir(), m.head(), config).ok());
  CHECK(test::verify_commit(m.dir(), m.head() + "^", config).ok() == false);  // theirs: unsigned
}

TEST_CASE("a signing key that cannot sign fails before the push, the branch stays", "[signing][bump]") {
  Manifests m;
  const std::string before = m.head();
  const std::string secret = "correct horse battery staple";
  test::TempDir dir;
  HoistRun r;
  std::string expected;

  SECTION("a key file that is not there") {
    const std::string missing = dir.file("no-such-key");
    r = m.bump({"--signing-key", missing, "--signing-format", "ssh"});
    expected = "cannot sign commits with ssh key " + missing + ": ssh-keygen exited with 255: Couldn't load public key " +
               missing + ": No such file or directory (the key comes from signing_key); nothing was pushed";
  }
  SECTION("an ssh key with a passphrase") {
    test::SshSigningKey locked("dee@example.invalid", secret);
    r = m.bump({"--signing-key", locked.private_key(), "--signing-format", "ssh"});
    expected = "cannot sign commits with ssh key " + locked.private_key() + ": ssh-keygen exited with 255: Enter "
               "passphrase: Load key \"" + locked.private_key() + "\": incorrect passphrase supplied to decrypt private "
               "key (the key comes from signing_key); nothing was pushed";
  }
  SECTION("an openpgp key with a passphrase that gpg-agent does not hold") {
    test::GpgHome locked("Dee Ploy", "dee@example.invalid", secret);
    r = m.bump({}, with(locked.env(), {{"HOIST_SIGNING_KEY", locked.fingerprint()}}));
    // A *_KEY variable's value is masked in a run's output, like every such variable's.
    expected = "cannot sign commits with openpgp key ********: gpg exited with 2: gpg: signing failed: No pinentry "
               "(the key comes from HOIST_SIGNING_KEY); nothing was pushed";
  }
  SECTION("an ssh key file given as an openpgp key") {
    test::SshSigningKey key("dee@example.invalid");
    test::GpgHome empty("Nobody", "nobody@example.invalid");
    r = m.bump({"--signing-key", key.private_key()}, empty.env());
    expected = "cannot sign commits with openpgp key " + key.private_key() + ": gpg exited with 2: gpg: signing failed: "
               "No secret key (the key comes from signing_key); nothing was pushed";
  }
  INFO(r.all());
  CHECK(r.code == 2);  // bad input: the step's exit code is the command's
  CHECK_THAT(r.out, Catch::Contains("[bump] ✗ failed in "));
  CHECK_THAT(r.out, Catch::Contains(expected));
  CHECK(r.all().find("pushing") == std::string::npos);
  CHECK(r.all().find(secret) == std::string::npos);
  CHECK(m.head() == before);
}
