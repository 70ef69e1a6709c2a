// Protected production, end to end through the hoist binary: prod (branch master) takes promotions only by merge
// request. The real git server refuses every direct push to master (a pre-receive hook), so the only way in is the
// forge's merge; the forge is GitHub (its test server behind Prism and GitHub's OpenAPI description), GitLab or
// Bitbucket (their strict test servers). One story per forge: promote opens one request; a re-run updates it (no
// second one); --merge is refused while the gate refuses (exit 3); hoist/gate goes from failure to success after
// two approvals; --merge merges; history shows the promotion with its trailers. A rollback's request is titled as one.
#include <catch2/catch.hpp>

#include <fstream>
#include <memory>

#include "tests/support/command.hpp"
#include "tests/support/forge_server.hpp"
#include "tests/support/github_api.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "acme/manifests";

// hoist.yaml with prod promoted by merge request on FORGE at API.
std::string policy_via(const std::string& forge, const std::string& api) {
  std::string p = kPromotePolicy;
  const std::string anchor = "    after: staging\n";
  p.insert(p.find(anchor) + anchor.size(), "    via: merge_request\n    forge: " + forge + "\n    forge_url: " + api + "\n");
  return p;
}

// Production is protected: the server refuses every push to master.
void protect_master(const GitServer& git) {
  const auto hook = git.repo_path(kRepo) / "hooks" / "pre-receive";
  std::ofstream(hook) << "#!/bin/sh\n"
                         "while read old new ref; do\n"
                         "  if [ \"$ref\" = refs/heads/master ]; then\n"
                         "    echo \"master is protected: changes arrive by merge request\" >&2; exit 1\n"
                         "  fi\n"
                         "done\n";
  std::filesystem::permissions(hook, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                         std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                         std::filesystem::perms::others_exec);
}

// A protected prod promoted by merge request on FORGE's test server (GitLab or Bitbucket), and hoist run against it
// with the forge's token in VARIABLE.
struct ProtectedProd {
  PromoteServers servers;
  ForgeServer forge;
  std::string variable;
  ProtectedProd(ForgeDialect dialect, const std::string& name, std::string token_variable)
      : forge(dialect, servers.git.repo_path(kRepo), kRepo), variable(std::move(token_variable)) {
    servers.create(kRepo, true, policy_via(name, forge.api_url()));
    protect_master(servers.git);
  }
  HoistRun hoist(const std::string& user, const std::vector<std::string>& args) {
    HoistRun r = hoist_as(user, servers.git, kRepo, args, {{variable, forge.token()}});
    INFO(r.out << r.err);
    return r;
  }
};

struct Story {
  std::string forge;     // github, gitlab, bitbucket
  std::string variable;  // the token's variable
  std::string name;      // as Hoist prints it
  std::string failed, succeeded;  // the status states as the forge spells them
};

void merge_request_story(PromoteServers& servers, ForgeServer& forge, const Story& s) {
  GitServer& git = servers.git;
  const std::map<std::string, std::string> env = {{s.variable, forge.token()}};
  auto hoist = [&](const std::string& user, std::vector<std::string> args) {
    HoistRun r = hoist_as(user, git, kRepo, args, env);
    INFO(r.out << r.err);
    return r;
  };
  const std::string branch = "hoist/promote/api-gateway/prod/" + kD1.substr(7, 12);

  HoistRun to_staging = hoist("erin", {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"});
  REQUIRE(to_staging.code == 0);
  const auto master_before = git.head(kRepo, "master");

  // The protection holds: a plain push to master is refused by the server.
  HoistRun bump = hoist("erin", {"bump", "--repo", git.url(kRepo), "--branch", "master", "--file", "hoist.yaml",
                                 "--set", "image_key=image.version"});
  CHECK(bump.code != 0);
  CHECK_THAT(bump.out + bump.err, Catch::Contains("master is protected"));
  CHECK(git.head(kRepo, "master") == master_before);

  HoistRun first = hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"});
  INFO(first.out << first.err);
  REQUIRE(first.code == 0);
  CHECK_THAT(first.out, Catch::Contains("opened " + s.name + " merge request") &&
                            Catch::Contains("from " + branch) && Catch::Contains("hoist/gate: failure"));
  REQUIRE(forge.merge_requests().size() == 1);
  const ForgeMergeRequest mr = forge.merge_requests()[0];
  CHECK(mr.source == branch);
  CHECK(mr.target == "master");
  CHECK(mr.title == "api-gateway: promote 1.1.0 (" + kD1.substr(0, 19) + ") from staging to prod");
  CHECK_THAT(mr.description, Catch::Contains("**FAIL** approvals: 0 of 2 approvals") &&
                                 Catch::Contains("-  tag: \"1.0.0\"") && Catch::Contains("+  tag: \"1.1.0\""));
  const auto head1 = git.head(kRepo, branch);
  REQUIRE(head1);
  CHECK(forge.status_of(*head1) == s.failed);
  CHECK(git.head(kRepo, "master") == master_before);
  CHECK(git.read_file(kRepo, branch, "api-gateway/prod.values.yaml") == values("1.1.0", kD1));
  CHECK_THAT(git.message(kRepo, branch), Catch::Contains("Hoist-Promoted-From: staging"));

  // A re-run with --merge: the request is updated (not a second one), its head replaced, and the merge refused.
  HoistRun again = hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--merge", "--yes"});
  CHECK(again.code == 3);
  CHECK_THAT(again.out, Catch::Contains("updated " + s.name + " merge request"));
  CHECK_THAT(again.err, Catch::Contains("refused"));
  CHECK(forge.merge_requests().size() == 1);
  const auto head2 = git.head(kRepo, branch);
  REQUIRE(head2);
  CHECK(forge.status_of(*head2) == s.failed);
  CHECK(git.head(kRepo, "master") == master_before);

  // Two approvals turn hoist/gate green; gate-status says the same.
  HoistRun alice = hoist("alice", {"approve", "api-gateway", "--env", "prod", "--yes"});
  CHECK(alice.code == 0);
  CHECK_THAT(alice.out, Catch::Contains("hoist/gate: failure"));
  CHECK(forge.status_of(*head2) == s.failed);
  HoistRun bob = hoist("bob", {"approve", "api-gateway", "--env", "prod", "--yes"});
  CHECK(bob.code == 0);
  CHECK_THAT(bob.out, Catch::Contains("hoist/gate: success"));
  CHECK(forge.status_of(*head2) == s.succeeded);
  HoistRun status = hoist("erin", {"gate-status", "api-gateway", "--env", "prod"});
  CHECK(status.code == 0);
  CHECK_THAT(status.out, Catch::Contains("gate of prod: allowed") && Catch::Contains("hoist/gate: success on " + branch));
  CHECK_THAT(forge.merge_requests()[0].description, Catch::Contains("approved by: alice, bob"));

  // --merge merges: master gets the merge commit, with the promotion's trailers.
  HoistRun merged = hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--merge", "--yes"});
  REQUIRE(merged.code == 0);
  CHECK_THAT(merged.out, Catch::Contains("merged ") && Catch::Contains("prod runs 1.1.0 (" + kD1 + ")"));
  CHECK(forge.merge_requests().size() == 1);
  CHECK(forge.merge_requests()[0].state == "merged");
  CHECK(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.1.0", kD1));
  CHECK(git.head(kRepo, "master") == forge.merge_requests()[0].merge_commit);
  CHECK_THAT(git.message(kRepo, "master"), Catch::Contains("Hoist-Approved-By: alice") &&
                                               Catch::Contains("Hoist-Approved-By: bob") &&
                                               Catch::Contains("Hoist-Promoted-From: staging"));

  HoistRun history = hoist("erin", {"history", "api-gateway", "--env", "prod"});
  CHECK(history.code == 0);
  CHECK_THAT(history.out, Catch::Contains(kD1 + "  1.1.0  staging  erin  alice, bob"));
  HoistRun st = hoist("erin", {"status", "api-gateway"});
  CHECK(st.code == 0);
  CHECK_THAT(st.out, Catch::Contains("1.1.0"));
  CHECK(forge.refusals().empty());
}

// A rollback by merge request: after 1.1.0 was promoted and merged, `hoist rollback` opens a request titled as a
// rollback (not a promotion), which approvals of the old digest keep so when they refresh it, and --merge merges.
void rollback_story(ProtectedProd& p, const std::string& forge_name) {
  GitServer& git = p.servers.git;
  ForgeServer& forge = p.forge;
  auto hoist = [&](const std::string& user, std::vector<std::string> args) { return p.hoist(user, args); };
  REQUIRE(hoist("erin", {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"}).code == 0);
  REQUIRE(hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"}).code == 0);
  for (const char* who : {"alice", "bob"})
    REQUIRE(hoist(who, {"approve", "api-gateway", "--env", "prod", "--yes"}).code == 0);
  REQUIRE(hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--merge", "--yes"}).code == 0);
  REQUIRE(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.1.0", kD1));

  const std::string title = "api-gateway: roll back prod from 1.1.0 to 1.0.0 (" + kD0.substr(0, 19) + ")";
  HoistRun opened = hoist("erin", {"rollback", "api-gateway", "--env", "prod", "--yes"});
  REQUIRE(opened.code == 0);
  CHECK_THAT(opened.out, Catch::Contains("opened " + forge_name + " merge request") &&
                             Catch::Contains("from hoist/promote/api-gateway/prod/" + kD0.substr(7, 12)));
  REQUIRE(forge.merge_requests().size() == 2);
  CHECK(forge.merge_requests()[1].title == title);
  CHECK_THAT(forge.merge_requests()[1].description,
             Catch::StartsWith("Hoist rolls **api-gateway** in **prod** back to `1.0.0` (`" + kD0 +
                               "`), which it ran before, from `1.1.0` (`" + kD1 + "`)") &&
                 Catch::Contains("merge with `hoist rollback api-gateway --env prod --digest " + kD0 + " --merge`"));

  // Approvals of the old digest refresh the request: it stays a rollback.
  for (const char* who : {"alice", "bob"}) {
    HoistRun a = hoist(who, {"approve", "api-gateway", "--env", "prod", "--digest", kD0, "--yes"});
    CHECK(a.code == 0);
    CHECK_THAT(a.err, !Catch::Contains("was not updated"));
  }
  CHECK(forge.merge_requests()[1].title == title);
  CHECK_THAT(forge.merge_requests()[1].description, Catch::Contains("approved by: alice, bob"));
  HoistRun status = hoist("erin", {"gate-status", "api-gateway", "--env", "prod", "--digest", kD0});
  CHECK(status.code == 0);
  CHECK_THAT(status.out, Catch::Contains("gate of prod: allowed"));
  CHECK(forge.merge_requests()[1].title == title);

  HoistRun merged = hoist("erin", {"rollback", "api-gateway", "--env", "prod", "--merge", "--yes"});
  REQUIRE(merged.code == 0);
  CHECK(forge.merge_requests()[1].state == "merged");
  CHECK(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.0.0", kD0));
  CHECK_THAT(git.message(kRepo, "master"), Catch::Contains("Hoist-Rollback-From: " + kD1));
  CHECK(forge.refusals().empty());
}

}  // namespace

// An attacker who can push to hoist/promote/... (but not to master) pushes a commit onto an approved proposal: the
// forge's required hoist/gate status is on Hoist's commit, not theirs; gate-status (and approve) set failure on
// theirs, naming what is wrong, with exit 3 — on top of Hoist's commit, replacing it with one that changes another
// file too, one that writes another tag, and one without Hoist's trailers. promote --merge replaces it and merges.
TEST_CASE("protected production: a commit pushed onto an approved proposal branch gets hoist/gate failure, exit 3",
          "[promote][forge]") {
  ProtectedProd p(ForgeDialect::gitlab, "gitlab", "GITLAB_TOKEN");
  GitServer& git = p.servers.git;
  ForgeServer& gitlab = p.forge;
  auto hoist = [&](const std::string& user, std::vector<std::string> args) { return p.hoist(user, args); };
  REQUIRE(hoist("erin", {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"}).code == 0);
  REQUIRE(hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"}).code == 0);
  for (const char* who : {"alice", "bob"})
    REQUIRE(hoist(who, {"approve", "api-gateway", "--env", "prod", "--yes"}).code == 0);
  const std::string branch = "hoist/promote/api-gateway/prod/" + kD1.substr(7, 12);
  const std::string proposed = git.head(kRepo, branch).value_or("");
  REQUIRE(gitlab.status_of(proposed) == "success");
  const std::string file = "api-gateway/prod.values.yaml";
  const std::string evil_policy = "environments: {}\n";
  const std::string trailers = "\n\nHoist-Image-Digest: " + kD1 + "\nHoist-Promoted-From: staging\n";
  auto reset_branch = [&](const std::string& to) {
    REQUIRE(run_command(git_command({"--git-dir=" + git.repo_path(kRepo).string(), "update-ref",
                                     "refs/heads/" + branch, to}))
                .ok());
  };
  auto refused = [&](const std::string& why) {
    const std::string head = git.head(kRepo, branch).value_or("");
    HoistRun r = hoist("erin", {"gate-status", "api-gateway", "--env", "prod"});
    CHECK(r.code == 3);
    CHECK_THAT(r.out, Catch::Contains("hoist/gate: failure on " + branch));
    CHECK(r.err == "hoist: error: the head of " + branch + " (" + head.substr(0, 12) +
                       ") is not the commit Hoist proposed: " + why +
                       "; run hoist promote again to replace it with the promotion\n");
    CHECK(gitlab.status_of(head) == "failed");
  };

  // On top of Hoist's commit.
  git.commit(kRepo, branch, {{"hoist.yaml", evil_policy}}, "tweak" + trailers);
  CHECK(gitlab.status_of(*git.head(kRepo, branch)).empty());  // the forge's required check is not met by itself
  refused("its parent " + proposed.substr(0, 12) + " is not in the history of branch master");
  // Instead of Hoist's commit: the promotion's own edit and another file.
  const std::string master = git.head(kRepo, "master").value_or("");
  reset_branch(master);
  git.commit(kRepo, branch, {{file, values("1.1.0", kD1)}, {"hoist.yaml", evil_policy}}, "promote" + trailers);
  refused("it changes " + file + ", hoist.yaml, not only " + file);
  // Another tag, pinned to the approved digest.
  reset_branch(master);
  git.commit(kRepo, branch, {{file, values("6.6.6", kD1)}}, "promote" + trailers);
  refused(file + " is not what the promotion of " + kD1.substr(0, 19) + " writes");
  // The promotion's file exactly, without Hoist's trailers.
  reset_branch(master);
  git.commit(kRepo, branch, {{file, values("1.1.0", kD1)}}, "promote");
  refused("its Hoist-Image-Digest is not " + kD1.substr(0, 19));

  // An approval's refresh says so too, and records the approval.
  HoistRun carol = hoist("carol", {"approve", "api-gateway", "--env", "prod", "--yes"});
  CHECK(carol.code == 0);
  CHECK_THAT(carol.out, Catch::Contains("hoist/gate: failure"));
  CHECK_THAT(carol.err, Catch::Contains("is not the commit Hoist proposed"));

  // promote --merge proposes again (replacing the branch's head) and merges Hoist's commit only.
  HoistRun merged = hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--merge", "--yes"});
  REQUIRE(merged.code == 0);
  CHECK(git.read_file(kRepo, "master", file) == values("1.1.0", kD1));
  CHECK(git.read_file(kRepo, "master", "hoist.yaml") != evil_policy);
  CHECK(gitlab.refusals().empty());
}

TEST_CASE("protected production on GitLab: a rollback's merge request is titled as a rollback", "[promote][forge]") {
  ProtectedProd p(ForgeDialect::gitlab, "gitlab", "GITLAB_TOKEN");
  rollback_story(p, "GitLab");
}

TEST_CASE("protected production on Bitbucket: a rollback's pull request is titled as a rollback", "[promote][forge]") {
  ProtectedProd p(ForgeDialect::bitbucket, "bitbucket", "BITBUCKET_TOKEN");
  rollback_story(p, "Bitbucket");
}

TEST_CASE("protected production on GitHub (through Prism): one pull request, approvals, merge", "[promote][forge]") {
  PromoteServers servers;
  GitHubApi github(servers.git.repo_path(kRepo), kRepo);
  servers.create(kRepo, true, policy_via("github", github.url()));
  protect_master(servers.git);
  merge_request_story(servers, github.server(), {"github", "GITHUB_TOKEN", "GitHub", "failure", "success"});
  INFO(github.prism_log());
  CHECK(github.violations().empty());
}

TEST_CASE("protected production on GitLab: one merge request, approvals, merge", "[promote][forge]") {
  ProtectedProd p(ForgeDialect::gitlab, "gitlab", "GITLAB_TOKEN");
  merge_request_story(p.servers, p.forge, {"gitlab", "GITLAB_TOKEN", "GitLab", "failed", "success"});
}

TEST_CASE("protected production on Bitbucket: one pull request, approvals, merge", "[promote][forge]") {
  ProtectedProd p(ForgeDialect::bitbucket, "bitbucket", "BITBUCKET_TOKEN");
  merge_request_story(p.servers, p.forge, {"bitbucket", "BITBUCKET_TOKEN", "Bitbucket", "FAILED", "SUCCESSFUL"});
}

// Merged by people in the forge's UI as a squash (one commit, one parent, the source commit's message: what GitHub
// proposes for a one-commit pull request): status and history still see the promotion, from its trailers.
TEST_CASE("protected production: a promotion squash-merged in the forge's UI shows in history and status",
          "[promote][forge]") {
  PromoteServers servers;
  ForgeServer gitlab(ForgeDialect::gitlab, servers.git.repo_path(kRepo), kRepo);
  servers.create(kRepo, true, policy_via("gitlab", gitlab.api_url()));
  protect_master(servers.git);
  GitServer& git = servers.git;
  const std::map<std::string, std::string> env = {{"GITLAB_TOKEN", gitlab.token()}};
  auto hoist = [&](const std::string& user, std::vector<std::string> args) { return hoist_as(user, git, kRepo, args, env); };
  REQUIRE(hoist("erin", {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"}).code == 0);
  REQUIRE(hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"}).code == 0);
  REQUIRE(hoist("alice", {"approve", "api-gateway", "--env", "prod", "--yes"}).code == 0);
  REQUIRE(hoist("bob", {"approve", "api-gateway", "--env", "prod", "--yes"}).code == 0);
  const std::string branch = "hoist/promote/api-gateway/prod/" + kD1.substr(7, 12);
  REQUIRE(gitlab.merge_requests().size() == 1);

  const std::string squashed = gitlab.merge_in_ui(gitlab.merge_requests()[0].id, true, git.message(kRepo, branch));
  REQUIRE(git.head(kRepo, "master") == squashed);
  CHECK(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.1.0", kD1));

  HoistRun history = hoist("erin", {"history", "api-gateway", "--env", "prod"});
  INFO(history.out << history.err);
  CHECK(history.code == 0);
  CHECK_THAT(history.out, Catch::Contains(kD1 + "  1.1.0  staging  erin"));
  HoistRun status = hoist("erin", {"status", "api-gateway", "--output", "json"});
  INFO(status.out << status.err);
  CHECK(status.code == 0);
  CHECK_THAT(status.out, Catch::Contains(kD1));
  // The next promotion's gate reads the squash as what prod runs: nothing left to promote.
  HoistRun again = hoist("erin", {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--plan"});
  INFO(again.out << again.err);
  CHECK(again.code == 0);
  CHECK_THAT(again.out, Catch::Contains("nothing to change"));
  CHECK(gitlab.refusals().empty());
}

// The promote step follows the policy too: into prod it opens the request (output merge_request), and with
// merge: true it is refused while the gate refuses, then merges once two approvals are in.
TEST_CASE("protected production: a pipeline's promote step opens the merge request and merges it", "[promote][forge]") {
  PromoteServers servers;
  ForgeServer gitlab(ForgeDialect::gitlab, servers.git.repo_path(kRepo), kRepo);
  servers.create(kRepo, true, policy_via("gitlab", gitlab.api_url()));
  protect_master(servers.git);
  GitServer& git = servers.git;
  TempDir dir;
  auto pipeline = [&](bool merge) {
    const std::string file = (dir.path() / (merge ? "merge.yaml" : "propose.yaml")).string();
    std::ofstream(file) << "version: 1\nname: ship\nsteps:\n  - id: go\n    uses: promote\n"
                           "    with: {app: api-gateway, from: staging, to: prod, repo: \""
                        << git.url(kRepo) << "\", forge_token: \"${GITLAB_TOKEN}\"" << (merge ? ", merge: true" : "")
                        << "}\n";
    return file;
  };
  const std::map<std::string, std::string> env = {{"GITLAB_TOKEN", gitlab.token()}};
  auto hoist = [&](const std::string& user, std::vector<std::string> args) { return hoist_as(user, git, kRepo, args, env); };
  REQUIRE(hoist("erin", {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"}).code == 0);
  const auto master_before = git.head(kRepo, "master");

  HoistRun proposed = hoist("erin", {"run", pipeline(false)});
  INFO(proposed.out << proposed.err);
  REQUIRE(proposed.code == 0);
  CHECK_THAT(proposed.out, Catch::Contains("opened GitLab merge request") && Catch::Contains("hoist/gate: failure"));
  REQUIRE(gitlab.merge_requests().size() == 1);
  CHECK(git.head(kRepo, "master") == master_before);

  HoistRun refused = hoist("erin", {"run", pipeline(true)});
  INFO(refused.out << refused.err);
  CHECK(refused.code == 3);
  CHECK(gitlab.merge_requests().size() == 1);
  CHECK(git.head(kRepo, "master") == master_before);

  REQUIRE(hoist("alice", {"approve", "api-gateway", "--env", "prod", "--yes"}).code == 0);
  REQUIRE(hoist("bob", {"approve", "api-gateway", "--env", "prod", "--yes"}).code == 0);
  HoistRun merged = hoist("erin", {"run", pipeline(true)});
  INFO(merged.out << merged.err);
  REQUIRE(merged.code == 0);
  CHECK_THAT(merged.out, Catch::Contains("merged "));
  CHECK(gitlab.merge_requests()[0].state == "merged");
  CHECK(git.head(kRepo, "master") == gitlab.merge_requests()[0].merge_commit);
  CHECK(git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.1.0", kD1));
  CHECK(gitlab.refusals().empty());
}
