// hoist promote / approve / rollback / status / history end to end through the hoist binary, against the real git
// smart-HTTP server. The values files record digests (image.digest), so no registry is involved. Each refusal must
// exit 3 and leave the production branch exactly as it was.
#include <catch2/catch.hpp>

#include <thread>

#include "steps/digest/sha256.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/command.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";

// Approves kD1 (what staging runs after qa -> staging) into prod as USER, or with extra arguments.
HoistRun approve(const GitServer& git, const std::string& user, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"approve", "api-gateway", "--env", "prod", "--yes"};
  args.insert(args.end(), extra.begin(), extra.end());
  HoistRun r = hoist_as(user, git, kRepo, args);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return r;
}

void promote_qa_to_staging(const GitServer& git, const std::string& user = "erin") {
  HoistRun r = hoist_as(user, git, kRepo, {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
}

// Runs a promotion to prod that must be refused; returns its output.
HoistRun refused(const GitServer& git, std::vector<std::string> args = {"promote", "api-gateway", "--from",
                                                                        "staging", "--to", "prod", "--yes"}) {
  const auto before = git.head(kRepo, "master");
  HoistRun r = hoist_as("erin", git, kRepo, args);
  INFO(r.out << r.err);
  CHECK(r.code == 3);
  CHECK(git.head(kRepo, "master") == before);
  CHECK_THAT(r.err, Catch::Contains("refused"));
  return r;
}

std::string commit_message(const GitServer& git, const std::string& ref) {
  return git.message(kRepo, ref);
}

std::vector<std::string> approval_refs(const GitServer& git) {
  auto out = run_command(git_command({"--git-dir=" + git.repo_path(kRepo).string(), "for-each-ref",
                                      "--format=%(refname)", "refs/hoist/approvals/"}))
                 .out;
  std::vector<std::string> refs;
  for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1)
    refs.push_back(out.substr(start, end - start));
  return refs;
}

}  // namespace

TEST_CASE("qa -> staging -> prod with two approvals, then status, history and a rollback", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  const auto policy_before = git.read_file(kRepo, "master", "hoist.yaml");

  promote_qa_to_staging(git);
  CHECK(git.read_file(kRepo, "staging", "api-gateway/staging.values.yaml") == values("1.1.0", kD1));
  CHECK_THAT(commit_message(git, "staging"), Catch::Contains("Hoist-Promoted-From: qa"));

  // Without approvals, prod is refused (no terminal: nothing assumed).
  HoistRun none = refused(git);
  CHECK_THAT(none.out, Catch::Contains("0 of 2 approvals"));

  HoistRun a = approve(git, "alice");
  CHECK_THAT(a.out, Catch::Contains("approved api-gateway " + kD1 + " into prod as alice"));
  approve(git, "bob", {"--comment", "canary looked fine"});
  CHECK(approval_refs(git).size() == 2);

  HoistRun plan = hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--plan"});
  INFO(plan.out << plan.err);
  CHECK(plan.code == 0);
  CHECK_THAT(plan.out, Catch::Contains("gate of prod: allowed"));
  CHECK_THAT(plan.out, Catch::Contains("approved by: alice, bob"));
  CHECK_THAT(plan.out, Catch::Contains("+  tag: \"1.1.0\"   # set by CI"));
  CHECK_THAT(plan.out, Catch::Contains("+  digest: " + kD1));

  const auto before = git.head(kRepo, "master");
  HoistRun p = hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"});
  INFO(p.out << p.err);
  REQUIRE(p.code == 0);
  CHECK(git.head(kRepo, "master") != before);
  CHECK(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.1.0", kD1));
  CHECK(git.read_file(kRepo, "master", "hoist.yaml") == policy_before);
  std::string message = commit_message(git, "master");
  CHECK_THAT(message, Catch::Contains("Hoist-Image-Digest: " + kD1));
  CHECK_THAT(message, Catch::Contains("Hoist-Promoted-From: staging"));
  CHECK_THAT(message, Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob"));
  CHECK_THAT(message, Catch::Contains("Hoist-Promoted-By: erin"));

  HoistRun status = hoist_as("erin", git, kRepo, {"status", "api-gateway"});
  INFO(status.out << status.err);
  CHECK(status.code == 0);
  CHECK_THAT(status.out, Catch::Matches("(.|\n)*\n  prod +master +1.1.0 +" + kD1.substr(0, 19) +
                                        " .* erin +same as staging\n(.|\n)*"));
  CHECK_THAT(status.out, Catch::Matches("(.|\n)* erin +same as qa\n(.|\n)*"));
  HoistRun all = hoist_as("erin", git, kRepo, {"status", "--output", "json"});
  CHECK(all.code == 0);
  CHECK_THAT(all.out, Catch::Contains("\"environment\":\"prod\""));

  HoistRun history = hoist_as("erin", git, kRepo, {"history", "api-gateway", "--env", "prod"});
  INFO(history.out << history.err);
  CHECK(history.code == 0);
  CHECK_THAT(history.out, Catch::Contains(kD1 + "  1.1.0  staging  erin  alice, bob"));

  // Rolling back to kD0 (prod's earlier digest) needs approvals for kD0 too.
  HoistRun rb_refused = refused(git, {"rollback", "api-gateway", "--env", "prod", "--yes"});
  CHECK_THAT(rb_refused.out, Catch::Contains("was promoted into prod before (rollback)"));
  approve(git, "alice", {"--digest", kD0});
  approve(git, "carol", {"--digest", kD0});
  HoistRun rb = hoist_as("erin", git, kRepo, {"rollback", "api-gateway", "--env", "prod", "--yes"});
  INFO(rb.out << rb.err);
  REQUIRE(rb.code == 0);
  CHECK(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.0.0", kD0));
  CHECK_THAT(commit_message(git, "master"), Catch::Contains("Hoist-Rollback-From: " + kD1));
}

TEST_CASE("a rollback only returns to a digest from the environment's own history", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  approve(git, "alice", {"--digest", kD9});
  approve(git, "bob", {"--digest", kD9});
  HoistRun r = refused(git, {"rollback", "api-gateway", "--env", "prod", "--digest", kD9, "--yes"});
  CHECK_THAT(r.err, Catch::Contains("was never promoted into prod"));
}

TEST_CASE("promotions to prod are refused with exit 3 and leave prod unchanged", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  promote_qa_to_staging(git);

  SECTION("the promoter's own approval does not count") {
    approve(git, "erin");
    approve(git, "alice");
    HoistRun r = refused(git);
    CHECK_THAT(r.out, Catch::Contains("erin is promoting this digest and cannot approve it"));
  }
  SECTION("whoever bumped the digest into staging cannot approve it") {
    PromoteServers other_servers;  // staging promoted by carol this time
    GitServer& other = other_servers.git;
    other_servers.create(kRepo);
    promote_qa_to_staging(other, "carol");
    approve(other, "carol");
    approve(other, "alice");
    HoistRun r = refused(other);
    CHECK_THAT(r.out, Catch::Contains("carol built or bumped this digest"));
  }
  SECTION("an approver not in the list does not count") {
    approve(git, "dave");
    approve(git, "alice");
    HoistRun r = refused(git);
    CHECK_THAT(r.out, Catch::Contains("dave is not an approver of prod"));
  }
  SECTION("an approval for another digest does not count") {
    approve(git, "alice", {"--digest", kD9});
    approve(git, "bob");
    HoistRun r = refused(git);
    CHECK_THAT(r.out, Catch::Contains("1 of 2 approvals"));
  }
  SECTION("approvals for another environment or another app do not count") {
    HoistRun s = hoist_as("alice", git, kRepo, {"approve", "api-gateway", "--env", "staging", "--digest", kD1, "--yes"});
    REQUIRE(s.code == 0);
    git.commit(kRepo, "qa", {{"web/qa.values.yaml", values("1.1.0", kD1)}});  // an app approve knows
    HoistRun w = hoist_as("carol", git, kRepo, {"approve", "web", "--env", "prod", "--digest", kD1, "--yes"});
    REQUIRE(w.code == 0);
    approve(git, "bob");
    CHECK(approval_refs(git).size() == 3);
    HoistRun r = refused(git);
    CHECK_THAT(r.out, Catch::Contains("1 of 2 approvals"));
  }
  SECTION("two approvals by the same person count once") {
    approve(git, "alice", {"--comment", "first look"});
    approve(git, "alice", {"--comment", "second look"});
    CHECK(approval_refs(git).size() == 2);
    HoistRun r = refused(git);
    CHECK_THAT(r.out, Catch::Contains("alice has already approved"));
  }
  SECTION("a digest that is not the one running in staging") {
    approve(git, "alice", {"--digest", kD9});
    approve(git, "bob", {"--digest", kD9});
    HoistRun r = refused(git, {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--digest", kD9, "--yes"});
    CHECK_THAT(r.err, Catch::Contains("digest: staging runs " + kD1.substr(0, 19) + ", not sha256:999999999999"));
  }
  SECTION("skipping staging") {
    git.commit(kRepo, "qa", {{"api-gateway/qa.values.yaml", values("1.2.0", kD9)}});
    approve(git, "alice", {"--digest", kD9});
    approve(git, "bob", {"--digest", kD9});
    HoistRun r = refused(git, {"promote", "api-gateway", "--from", "qa", "--to", "prod", "--yes"});
    CHECK_THAT(r.err, Catch::Contains("order: prod is promoted from staging, not from qa"));
  }
  SECTION("a hoist.yaml on another branch lowering approvals is ignored") {
    std::string lowered = kPromotePolicy;
    lowered.replace(lowered.find("approvals: 2"), 12, "approvals: 0");
    git.commit(kRepo, "staging", {{"hoist.yaml", lowered}});
    git.commit(kRepo, "qa", {{"hoist.yaml", lowered}});
    approve(git, "alice");
    HoistRun r = refused(git);
    CHECK_THAT(r.out, Catch::Contains("1 of 2 approvals"));
  }
  SECTION("without a terminal and without approvals, --yes or not") {
    refused(git);
    refused(git, {"promote", "api-gateway", "--from", "staging", "--to", "prod"});
  }
}

TEST_CASE("without a terminal an allowed promotion still needs --yes, nothing is assumed", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  promote_qa_to_staging(git);
  approve(git, "alice");
  approve(git, "bob");
  const auto before = git.head(kRepo, "master");
  HoistRun r = hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "staging", "--to", "prod"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("not a terminal"));
  CHECK(git.head(kRepo, "master") == before);
}

TEST_CASE("a policy with errors blocks promotion with exit 2 and its place", "[promote]") {
  GitServer git;
  std::string broken = kPromotePolicy;
  broken.replace(broken.find("approvals: 2"), 12, "approvals: many");
  git.create_repo(kRepo, promote_seed(true, broken));
  const auto before = git.head(kRepo, "master");
  HoistRun r = hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Matches("(.|\n)*hoist.yaml:9:\\d+: (.|\n)*"));
  CHECK(git.head(kRepo, "master") == before);
}

TEST_CASE("two people approving at the same moment are both recorded", "[promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo);
  promote_qa_to_staging(git);
  HoistRun ra, rb;
  std::thread ta([&] { ra = hoist_as("alice", git, kRepo, {"approve", "api-gateway", "--env", "prod", "--yes"}); });
  std::thread tb([&] { rb = hoist_as("bob", git, kRepo, {"approve", "api-gateway", "--env", "prod", "--yes"}); });
  ta.join();
  tb.join();
  INFO(ra.err << rb.err);
  CHECK(ra.code == 0);
  CHECK(rb.code == 0);
  CHECK(approval_refs(git).size() == 2);
  HoistRun p = hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"});
  INFO(p.out << p.err);
  CHECK(p.code == 0);
  CHECK(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.1.0", kD1));
}

TEST_CASE("signed gates count only approvals signed with ssh-keygen by a key allowed for the approver", "[promote]") {
  TempDir keys;
  auto make_key = [&](const std::string& who) {
    Command keygen;
    keygen.argv = {"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", keys.file(who)};
    CommandResult r = run_command(keygen);
    REQUIRE(r.ok());
    std::string pub = test::read_file(keys.file(who) + ".pub");
    while (!pub.empty() && pub.back() == '\n') pub.pop_back();
    return pub.substr(0, pub.rfind(' '));  // "ssh-ed25519 AAAA..."
  };
  const std::string alice = make_key("alice"), bob = make_key("bob");
  make_key("mallory");
  std::string policy = kPromotePolicy;
  policy.replace(policy.find("      self_approval: false\n"), 26,
                 "      self_approval: false\n      signed: true\n      allowed_signers: |\n        alice " + alice +
                     "\n        bob " + bob + "\n");
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create(kRepo, true, policy);
  promote_qa_to_staging(git);

  approve(git, "alice", {"--sign-key", keys.file("alice")});
  approve(git, "carol");                                        // unsigned: does not count
  approve(git, "bob", {"--sign-key", keys.file("mallory")});   // bob's name, mallory's key: does not count
  HoistRun r = refused(git);
  CHECK_THAT(r.out, Catch::Contains("approval by carol at"));
  CHECK_THAT(r.out, Catch::Contains("not counted: it is not signed (signed: true)"));
  CHECK_THAT(r.out, Catch::Contains("not counted: its signature does not verify for bob"));
  CHECK_THAT(r.out, Catch::Contains("counted (signature verified)"));
  CHECK_THAT(r.out, Catch::Contains("1 of 2 approvals"));

  approve(git, "bob", {"--sign-key", keys.file("bob"), "--comment", "signed this time"});
  HoistRun p = hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"});
  INFO(p.out << p.err);
  CHECK(p.code == 0);
  CHECK_THAT(commit_message(git, "master"), Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob"));
}

TEST_CASE("the policy is only read from the default branch, which must be production's", "[promote]") {
  GitServer git;
  std::string elsewhere = kPromotePolicy;
  elsewhere.replace(elsewhere.find("branch: master"), 14, "branch: prod");
  git.create_repo(kRepo, promote_seed(true, elsewhere));
  HoistRun r = hoist_as("erin", git, kRepo, {"status", "api-gateway"});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("says the production environment 'prod' lives on branch 'prod'"));
}

TEST_CASE("without recorded digests promote asks the registry, and copies into the target's repository", "[promote]") {
  RegistryServer reg;
  registry::RegistryClient client;
  // A small image in the qa repository, tagged 1.1.0.
  const registry::Reference qa = registry::parse_reference(reg.image("shop/api-gateway") + ":1.1.0");
  const std::string config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}})";
  client.push_blob(qa, registry::StringBody(config), sha256_digest(config));
  const std::string manifest = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                               R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
                               sha256_digest(config) + R"(","size":)" + std::to_string(config.size()) +
                               R"(},"layers":[]})";
  const std::string digest = client.put_manifest(qa, registry::Manifest::from_bytes(manifest));

  std::string policy = kPromotePolicy;
  policy.replace(policy.find("registry.example.com/shop/{app}"), 31, reg.host() + "/" + reg.ns() + "/shop/{app}");
  policy.replace(policy.find("after: qa}"), 10, "after: qa, repository: \"" + reg.ns() + "/staging/{app}\"}");
  GitServer git;
  create_promote_repo(git, kRepo, false, policy);
  HoistRun r = hoist_as("erin", git, kRepo, {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(*git.read_file(kRepo, "staging", "api-gateway/staging.values.yaml"), Catch::Contains("tag: \"1.1.0\""));
  CHECK_THAT(commit_message(git, "staging"), Catch::Contains("Hoist-Image-Digest: " + digest));
  // The same digest now sits in staging's repository under the tag, and no blob was uploaded again.
  auto copied = client.get_manifest(registry::parse_reference(reg.image("staging/api-gateway") + ":1.1.0"));
  CHECK(copied.digest == digest);
  HoistRun status = hoist_as("erin", git, kRepo, {"status", "api-gateway"});
  CHECK(status.code == 0);
  CHECK_THAT(status.out, Catch::Contains(digest.substr(0, 19)));
}
