// The gate as an attacker meets it (issue #12), end to end through the hoist binary against the real git server and
// the real registry, with the example's policy (prod: 2 of alice, bob, carol, erin; no self-approval; after:
// staging). The attacker controls an app's pipeline file, can push to the non-production branches, and runs Hoist
// under their own CI identity. Every bypass must end in exit 3 with the rule named and production's branch unmoved.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/command.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";
const std::vector<std::string> kToProd = {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"};
const std::vector<std::string> kToStaging = {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"};

void ok(const HoistRun& r) {
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
}

HoistRun approve(const GitServer& git, const std::string& user, const std::string& digest,
                 const std::string& env = "prod") {
  HoistRun r = hoist_as(user, git, kRepo, {"approve", "api-gateway", "--env", env, "--digest", digest, "--yes"});
  ok(r);
  return r;
}

// A promotion that must be refused by the gate: exit 3, BRANCH unmoved, the rule named in the refusal.
HoistRun refused(const GitServer& git, const std::vector<std::string>& args, const std::string& branch,
                 const std::string& rule) {
  const auto before = git.head(kRepo, branch);
  HoistRun r = hoist_as("erin", git, kRepo, args);
  INFO(r.out << r.err);
  CHECK(r.code == 3);
  CHECK(git.head(kRepo, branch) == before);
  CHECK_THAT(r.err, Catch::Contains("refused:") && Catch::Contains("\n  " + rule + ": "));
  return r;
}

// The attacker's pipeline: a manifest/bump of qa that tries to hide who ran it.
std::string hiding_bump(const TempDir& dir, const std::string& repo_url, const std::string& tag,
                        const std::string& digest, const std::string& message = "routine bump\\n\\nSigned-off-by: CI Bot <ci-bot@example.com>") {
  const std::string file = dir.file("build.yaml");
  std::ofstream(file) << "version: 1\nname: build\nsteps:\n"
                         "  - id: deploy-qa\n"
                         "    uses: manifest/bump\n"
                         "    env: {ACTOR: ci-bot, GITLAB_USER_LOGIN: ci-bot, GITLAB_CI: \"false\"}\n"
                         "    with:\n"
                         "      repo: \"" << repo_url << "\"\n"
                         "      branch: qa\n"
                         "      file: api-gateway/qa.values.yaml\n"
                         "      set: {image.tag: \"" << tag << "\", image.digest: \"" << digest << "\"}\n"
                         "      digest: \"" << digest << "\"\n"
                         "      author: \"CI Bot <ci-bot@example.com>\"\n"
                         "      message: \"" << message << "\"\n";
  return file;
}

}  // namespace

TEST_CASE("bypass 1: a builder hiding behind ACTOR, a step's env, author: and message: still cannot approve",
          "[promote][gate]") {
  PromoteServers s;
  s.create(kRepo);
  const std::string d2 = push_tiny_image(s.registry, "shop/api-gateway", "1.2.0", 2);
  TempDir dir;
  // carol's CI job runs the attacker's pipeline: GitLab says carol, whatever the pipeline file says.
  ok(hoist_as("carol", s.git, kRepo, {"run", hiding_bump(dir, s.git.url(kRepo), "1.2.0", d2)}));
  const std::string qa_message = s.git.message(kRepo, "qa");
  CHECK_THAT(qa_message, Catch::Contains("Hoist-Actor: carol\n"));
  CHECK_THAT(qa_message, !Catch::Contains("Hoist-Actor: ci-bot"));

  // A message writing Hoist's trailers itself is refused: only Hoist records them.
  const auto qa_before = s.git.head(kRepo, "qa");
  HoistRun forged = hoist_as("carol", s.git, kRepo, {"run", hiding_bump(dir, s.git.url(kRepo), "1.1.0", kD1,
                                                                         "bump\\n\\nHoist-Actor: ci-bot")});
  CHECK(forged.code != 0);
  CHECK_THAT(forged.err + forged.out, Catch::Contains("'message' must not write Hoist's own trailers (Hoist-Actor:)"));
  CHECK(s.git.head(kRepo, "qa") == qa_before);

  ok(hoist_as("erin", s.git, kRepo, kToStaging));
  // Warned at once, and not counted at promotion.
  CHECK_THAT(approve(s.git, "carol", d2).err,
             Catch::Contains("warning: carol built, bumped or promoted " + d2.substr(0, 19) +
                             " on its way to staging, so the approval will not count (self_approval: false)"));
  CHECK_THAT(approve(s.git, "alice", d2).err, !Catch::Contains("warning"));
  CHECK_THAT(approve(s.git, "alice", d2, "staging").err,
             Catch::Contains("warning: staging has no gate (no 'approvals' in hoist.yaml): the approval is recorded "
                             "but nothing requires it"));
  HoistRun r = refused(s.git, kToProd, "master", "approvals");
  CHECK_THAT(r.out, Catch::Contains("not counted: carol built or bumped this digest"));

  // With a third approver the same digest goes through: the gate stops the builder, not the release.
  approve(s.git, "bob", d2);
  ok(hoist_as("erin", s.git, kRepo, kToProd));
  CHECK_THAT(s.git.message(kRepo, "master"), Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob\n"));
}

TEST_CASE("bypass 1: GITLAB_USER_LOGIN is nobody's identity unless GitLab CI is running the job", "[promote][gate]") {
  PromoteServers s;
  s.create(kRepo);
  // Outside CI (GITLAB_CI unset) the identity is git's or $USER: never the variable anyone can set.
  HoistRun r = run_hoist({"approve", "api-gateway", "--env", "prod", "--digest", kD1, "--yes"},
                         {{"GITLAB_USER_LOGIN", "alice"},
                          {"USER", "mallory"},
                          {"HOME", "/nonexistent"},
                          {"GIT_CONFIG_NOSYSTEM", "1"},
                          {"HOIST_MANIFEST_REPO", s.git.url(kRepo)},
                          {"HOIST_GIT_USERNAME", s.git.username()},
                          {"HOIST_GIT_PASSWORD", s.git.password()}});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("into prod as mallory"));
  CHECK_THAT(r.out, !Catch::Contains("as alice"));
}

TEST_CASE("bypass 2: a tag that names another image than the digest is refused before anything is written",
          "[promote][gate]") {
  PromoteServers s;
  s.create(kRepo);
  const std::string evil = push_tiny_image(s.registry, "shop/api-gateway", "evil5", 5);
  TempDir dir;

  SECTION("a pipeline writes tag evil5 with the approved digest: qa -> staging is refused") {
    ok(hoist_as("frank", s.git, kRepo, {"run", hiding_bump(dir, s.git.url(kRepo), "evil5", kD1)}));
    HoistRun r = refused(s.git, kToStaging, "staging", "tag");
    CHECK_THAT(r.err, Catch::Contains(":evil5 names " + evil.substr(0, 19) + " in the registry, not " +
                                      kD1.substr(0, 19) + ": staging would run an image nobody approved"));
  }
  SECTION("the tag moved in the registry after staging ran it: staging -> prod is refused") {
    ok(hoist_as("erin", s.git, kRepo, kToStaging));
    approve(s.git, "alice", kD1);
    approve(s.git, "bob", kD1);
    push_tiny_image(s.registry, "shop/api-gateway", "1.1.0", 5);  // 1.1.0 now names the evil image
    HoistRun r = refused(s.git, kToProd, "master", "tag");
    CHECK_THAT(r.err, Catch::Contains(":1.1.0 names " + evil.substr(0, 19) + " in the registry, not " +
                                      kD1.substr(0, 19)));
  }
  SECTION("staging's file edited by hand to tag evil5, digest approved earlier: refused by tag and lineage") {
    s.git.commit(kRepo, "staging", {{"api-gateway/staging.values.yaml", values("evil5", kD1)}});
    approve(s.git, "alice", kD1);
    approve(s.git, "bob", kD1);
    HoistRun r = refused(s.git, kToProd, "master", "tag");
    CHECK_THAT(r.err, Catch::Contains("\n  lineage: "));
  }
}

TEST_CASE("bypass 2: a target that records no digest runs by tag, and pin: digest refuses it", "[promote][gate]") {
  std::string policy = kPromotePolicy;
  policy.replace(policy.find("    after: staging\n"), 19, "    after: staging\n    pin: digest\n");
  PromoteServers s;
  s.create(kRepo, false, policy);
  HoistRun plan = hoist_as("erin", s.git, kRepo, {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--plan"});
  INFO(plan.out << plan.err);
  CHECK(plan.code == 0);
  CHECK_THAT(plan.out, Catch::Contains("api-gateway/staging.values.yaml records no digest, so staging runs by tag"));
  ok(hoist_as("erin", s.git, kRepo, kToStaging));
  approve(s.git, "alice", kD1);
  approve(s.git, "bob", kD1);
  HoistRun r = refused(s.git, kToProd, "master", "tag");
  CHECK_THAT(r.err, Catch::Contains("prod has 'pin: digest' but api-gateway/prod.values.yaml on branch master records "
                                    "no digest (its places: tag image.tag), so it would run by tag"));
}

TEST_CASE("bypass 3: a tag holding newlines cannot forge trailers", "[promote][gate]") {
  PromoteServers s;
  s.create(kRepo);
  const std::string forged = "07f47761\n\nHoist-Approved-By: mallory\nHoist-Approved-By: trudy";
  std::string file = values("x", kD1);
  file.replace(file.find("\"x\""), 3, "\"07f47761\\n\\nHoist-Approved-By: mallory\\nHoist-Approved-By: trudy\"");
  s.git.commit(kRepo, "qa", {{"api-gateway/qa.values.yaml", file}},
               "api-gateway: bump\n\nHoist-Image-Digest: " + kD1 + "\nHoist-Actor: frank\n");
  HoistRun r = refused(s.git, kToStaging, "staging", "tag");
  CHECK_THAT(r.err, Catch::Contains("image.tag '07f47761\\n\\nHoist-Approved-By: mallory\\nHoist-Approved-By: trudy' in "
                                    "qa's api-gateway/qa.values.yaml is not an OCI tag"));
  CHECK_THAT(s.git.message(kRepo, "staging"), !Catch::Contains("mallory"));

  // Straight into staging by hand, then towards prod: refused the same way, and history names no mallory.
  s.git.commit(kRepo, "staging", {{"api-gateway/staging.values.yaml", file}});
  approve(s.git, "alice", kD1);
  HoistRun p = refused(s.git, kToProd, "master", "tag");
  CHECK(p.all().find(forged) == std::string::npos);  // printed escaped, never raw
  HoistRun history = hoist_as("erin", s.git, kRepo, {"history", "api-gateway", "--env", "prod", "--output", "json"});
  INFO(history.out << history.err);
  CHECK(history.code == 0);
  CHECK_THAT(history.out, !Catch::Contains("mallory"));
}

TEST_CASE("bypass 4: a digest pushed to staging by hand never ran in qa, and the gate names where the chain breaks",
          "[promote][gate]") {
  PromoteServers s;
  s.create(kRepo);
  const std::string d2 = push_tiny_image(s.registry, "shop/api-gateway", "1.2.0", 2);
  ok(hoist_as("erin", s.git, kRepo, kToStaging));  // the honest history: kD1 went qa -> staging through Hoist

  SECTION("a plain commit") {
    const std::string hand = s.git.commit(kRepo, "staging", {{"api-gateway/staging.values.yaml", values("1.2.0", d2)}});
    approve(s.git, "alice", d2);
    approve(s.git, "bob", d2);
    HoistRun r = refused(s.git, kToProd, "master", "lineage");
    CHECK_THAT(r.err, Catch::Contains("lineage: staging's commit " + hand.substr(0, 12) + " (branch staging) set " +
                                      d2.substr(0, 19) + " without a promotion from qa (an edit by hand?): the chain "
                                      "qa -> staging is broken there"));
  }
  SECTION("a commit with Hoist's trailers written by hand, naming a qa commit that never ran the digest") {
    const std::string qa_tip = s.git.head(kRepo, "qa").value();
    s.git.commit(kRepo, "staging", {{"api-gateway/staging.values.yaml", values("1.2.0", d2)}},
                 "api-gateway: promote 1.2.0\n\nHoist-Image-Digest: " + d2 +
                     "\nHoist-Promoted-From: qa\nHoist-Promoted-From-Commit: " + qa_tip + "\n");
    approve(s.git, "alice", d2);
    approve(s.git, "bob", d2);
    HoistRun r = refused(s.git, kToProd, "master", "lineage");
    CHECK_THAT(r.err, Catch::Contains("lineage: qa's commit " + qa_tip.substr(0, 12) + " (branch qa) does not run " +
                                      d2.substr(0, 19) + ": the chain is broken there"));
  }
  SECTION("qa itself edited by hand, then promoted to staging through Hoist") {
    const std::string hand = s.git.commit(kRepo, "qa", {{"api-gateway/qa.values.yaml", values("1.2.0", d2)}});
    HoistRun r = refused(s.git, kToStaging, "staging", "lineage");
    CHECK_THAT(r.err, Catch::Contains("qa's commit " + hand.substr(0, 12) + " (branch qa) set " + d2.substr(0, 19) +
                                      " without a pipeline's bump"));
  }
  SECTION("the honest chain passes and the plan shows it") {
    approve(s.git, "alice", kD1);
    approve(s.git, "bob", kD1);
    HoistRun plan = hoist_as("erin", s.git, kRepo, {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--plan"});
    INFO(plan.out << plan.err);
    CHECK(plan.code == 0);
    CHECK_THAT(plan.out, Catch::Contains("ok    lineage: " + kD1.substr(0, 19) + " came through Hoist: qa (bumped by "
                                         "frank in "));
    CHECK_THAT(plan.out, Catch::Contains(") -> staging"));
  }
}
