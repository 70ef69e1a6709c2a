// Releases, soak and break-glass end to end on the real git server and registry: five apps released qa -> staging
// -> prod with one set approval per approver, in one commit per environment with one trailer group per app; a
// changed digest voids the set approval for that app only; `soak: 4h` refuses a digest that ran in staging for one
// hour and passes it after five (an injected clock, in process); a frozen prod refuses `--freeze-override` without
// the policy's override approvals and passes with them, recording the reason and who. A pipeline's `approve` step with
// `apps:` records the same set approval as `hoist approve --env prod APP...|--all`.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "runner/cli/manifest_commands.hpp"
#include "runner/process/subprocess.hpp"
#include "tests/support/command.hpp"
#include "tests/support/manifest_in_process.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";
const std::vector<std::string> kApps = {"billing", "cart", "search", "users", "web"};

// The fixture's policy (prod: 2 approvals of alice, bob, carol, erin) with PROD_GATE_EXTRA lines in prod's gate and
// the image in REGISTRY.
std::string policy_with(const RegistryServer& registry, const std::string& prod_gate_extra) {
  std::string text = kPromotePolicy;
  text.insert(text.find("image: "), prod_gate_extra);
  const std::string example = "registry.example.com/shop/{app}";
  text.replace(text.find(example), example.size(), registry.image("shop/{app}"));
  return text;
}

// Five apps at 1.0.0 (kD0) everywhere, images 1.0.0 and 1.1.0 in the registry, and qa bumped to 1.1.0 (kD1) for all
// of them by one pipeline (Hoist-Actor: frank).
struct Fleet {
  RegistryServer registry;
  GitServer git;
  explicit Fleet(const std::string& prod_gate_extra = "") {
    RepoSeed seed;
    RepoFiles bumped;
    for (const auto& app : kApps) {
      push_tiny_image(registry, "shop/" + app, "1.0.0", 0);
      push_tiny_image(registry, "shop/" + app, "1.1.0", 1);
      seed["qa"][app + "/qa.values.yaml"] = values("1.0.0", kD0);
      seed["staging"][app + "/staging.values.yaml"] = values("1.0.0", kD0);
      seed["master"][app + "/prod.values.yaml"] = values("1.0.0", kD0);
      bumped[app + "/qa.values.yaml"] = values("1.1.0", kD1);
    }
    seed["master"]["hoist.yaml"] = policy_with(registry, prod_gate_extra);
    git.create_repo(kRepo, seed);
    git.commit(kRepo, "qa", bumped, "bump 5 apps to 1.1.0\n\nHoist-Image-Digest: " + kD1 + "\nHoist-Actor: frank\n");
  }
};

HoistRun ok(const HoistRun& r) {
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  return r;
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The manifest commands in process with the real registry, no terminal, and a clock the test sets.
struct InProcess {
  InProcess(const GitServer& server, promote::TimePoint at) : git(server), now(at) {}
  const GitServer& git;
  PosixProcessRunner processes;
  TempDir cwd;
  promote::TimePoint now;

  class NoTerminal : public Prompt {
   public:
    bool interactive() const override { return false; }
    std::string ask(std::string_view, std::string_view) override { return ""; }
  };

  HoistRun run(const std::string& user, ManifestCommand command, const std::vector<std::string>& args) {
    NoTerminal prompt;
    auto resolver = promote::make_registry_resolver();
    ManifestDeps deps{prompt, *resolver, processes, [this] { return now; }};
    return run_manifest_command(command, args, user, git, kRepo, deps, cwd.path().string());
  }
};

promote::TimePoint commit_time(const GitServer& git, const std::string& ref) {
  auto out = run_command(git_command({"--git-dir=" + git.repo_path(kRepo).string(), "log", "-1", "--format=%at", ref}));
  return promote::TimePoint(std::chrono::seconds(std::stoll(out.out)));
}

}  // namespace

TEST_CASE("release: five apps to staging and prod in one commit each, with one set approval per approver",
          "[promote][release]") {
  Fleet fleet;
  GitServer& git = fleet.git;
  const auto staging_before = git.head(kRepo, "staging");
  HoistRun staging = ok(hoist_as("erin", git, kRepo, {"promote", "--all", "--from", "qa", "--to", "staging", "--yes"}));
  CHECK_THAT(staging.out, Catch::Contains("release qa -> staging: 5 apps\n"));
  // One commit on staging, moving all five, one trailer group per app.
  CHECK(git.message(kRepo, "staging~1") == git.message(kRepo, *staging_before));
  const std::string message = git.message(kRepo, "staging");
  CHECK_THAT(message, Catch::StartsWith("release: 5 apps from qa to staging\n\nbilling 1.1.0 (" + kD1.substr(0, 19) +
                                        ")\ncart 1.1.0"));
  CHECK(count(message, "Hoist-App: ") == 5);
  CHECK_THAT(message, Catch::Contains("Hoist-File: search/staging.values.yaml\nHoist-App: search\nHoist-Image-Digest: " +
                                      kD1 + "\nHoist-Promoted-From: qa\n"));
  for (const auto& app : kApps)
    CHECK(git.read_file(kRepo, "staging", app + "/staging.values.yaml") == values("1.1.0", kD1));

  // Without approvals prod refuses every app, all or nothing.
  const auto prod_before = git.head(kRepo, "master");
  HoistRun refused = hoist_as("erin", git, kRepo, {"promote", "--all", "--from", "staging", "--to", "prod", "--yes"});
  CHECK(refused.code == 3);
  CHECK(git.head(kRepo, "master") == prod_before);
  CHECK_THAT(refused.err, Catch::Contains("release of 5 apps from staging to prod refused (nothing was changed):\n"
                                          "  billing: approvals: 0 of 2 approvals for " + kD1.substr(0, 19)));
  CHECK(count(refused.err, ": approvals: 0 of 2") == 5);

  // One approval over the set, by each of two approvers: two records in all, not ten.
  HoistRun a = ok(hoist_as("alice", git, kRepo, {"approve", "--all", "--env", "prod", "--yes"}));
  CHECK_THAT(a.out, Catch::Contains("approved a release of 5 apps into prod as alice:\n  billing " + kD1 +
                                    "\n  cart " + kD1));
  ok(hoist_as("bob", git, kRepo, {"approve", "--env", "prod", "--yes", "billing", "cart", "search", "users", "web"}));
  auto objects = run_command(git_command({"--git-dir=" + git.repo_path(kRepo).string(), "for-each-ref",
                                          "--format=%(objectname)", "refs/hoist/approvals/"}));
  CHECK(count(objects.out, "\n") == 10);  // filed under every app ...
  std::set<std::string> distinct;
  for (std::size_t s = 0, e; (e = objects.out.find('\n', s)) != std::string::npos; s = e + 1)
    distinct.insert(objects.out.substr(s, e - s));
  CHECK(distinct.size() == 2);  // ... as two approvals

  HoistRun plan = ok(hoist_as("erin", git, kRepo, {"promote", "billing", "web", "--from", "staging", "--to", "prod",
                                                   "--plan"}));
  CHECK_THAT(plan.out, Catch::Contains("release staging -> prod: 2 apps\n"));
  CHECK_THAT(plan.out, Catch::Contains("release gate: allowed\n"));

  HoistRun prod = ok(hoist_as("erin", git, kRepo, {"promote", "--all", "--from", "staging", "--to", "prod", "--yes"}));
  CHECK(git.message(kRepo, "master~1") == git.message(kRepo, *prod_before));
  const std::string prod_message = git.message(kRepo, "master");
  CHECK(count(prod_message, "Hoist-Approved-By: alice\nHoist-Approved-By: bob\n") == 5);
  for (const auto& app : kApps)
    CHECK(git.read_file(kRepo, "master", app + "/prod.values.yaml") == values("1.1.0", kD1));

  // Each app's history reads the release as its own promotion.
  HoistRun history = ok(hoist_as("erin", git, kRepo, {"history", "cart", "--env", "prod"}));
  CHECK_THAT(history.out, Catch::Contains(kD1 + "  1.1.0  staging  erin  alice, bob"));

  // Nothing differs any more: --all has nothing to do.
  HoistRun again = ok(hoist_as("erin", git, kRepo, {"promote", "--all", "--from", "staging", "--to", "prod", "--yes"}));
  CHECK_THAT(again.out, Catch::Contains("nothing to release"));
}

TEST_CASE("release: a digest that changed since the set approval voids it for that app only", "[promote][release]") {
  Fleet fleet;
  GitServer& git = fleet.git;
  ok(hoist_as("erin", git, kRepo, {"promote", "--all", "--from", "qa", "--to", "staging", "--yes"}));
  for (const char* who : {"alice", "bob"})
    ok(hoist_as(who, git, kRepo, {"approve", "cart", "web", "--env", "prod", "--yes"}));
  // web moves back to 1.0.0 in staging (an on-purpose older build), so its digest is not the approved one.
  git.commit(kRepo, "qa", {{"web/qa.values.yaml", values("1.0.0", kD0)}},
             "web back\n\nHoist-Image-Digest: " + kD0 + "\nHoist-Actor: frank\n");
  ok(hoist_as("erin", git, kRepo, {"promote", "web", "--from", "qa", "--to", "staging", "--allow-older", "--yes"}));
  HoistRun refused = hoist_as("erin", git, kRepo, {"promote", "cart", "web", "--from", "staging", "--to", "prod",
                                                   "--yes"});
  CHECK(refused.code == 3);
  CHECK_THAT(refused.err, !Catch::Contains("cart:"));
  CHECK_THAT(refused.err, Catch::Contains("  web: approvals: 0 of 2 approvals for " + kD0.substr(0, 19)));
  CHECK_THAT(refused.out, Catch::Contains("not counted: it is for " + kD1.substr(0, 19) + ", not " + kD0.substr(0, 19)));
  ok(hoist_as("erin", git, kRepo, {"promote", "cart", "--from", "staging", "--to", "prod", "--yes"}));
}

TEST_CASE("soak: a digest must have run in staging for the gate's soak before prod", "[promote][soak]") {
  Fleet fleet("      soak: 4h\n");
  GitServer& git = fleet.git;
  ok(hoist_as("erin", git, kRepo, {"promote", "cart", "--from", "qa", "--to", "staging", "--yes"}));
  const promote::TimePoint arrived = commit_time(git, "staging");
  InProcess p(git, arrived + std::chrono::hours(1));
  for (const char* who : {"alice", "bob"}) ok(p.run(who, approve_command, {"cart", "--env", "prod", "--yes"}));

  const auto before = git.head(kRepo, "master");
  HoistRun early = p.run("erin", promote_command, {"cart", "--from", "staging", "--to", "prod", "--yes"});
  CHECK(early.code == 3);
  CHECK(git.head(kRepo, "master") == before);
  CHECK_THAT(early.err, Catch::Contains("  soak: " + kD1.substr(0, 19) + " has run in staging since " +
                                        promote::format_rfc3339(arrived) + " (1h, commit "));
  CHECK_THAT(early.err, Catch::Contains("; prod needs soak 4h: it may be promoted from " +
                                        promote::format_rfc3339(arrived + std::chrono::hours(4))));

  p.now = arrived + std::chrono::hours(5);
  HoistRun later = ok(p.run("erin", promote_command, {"cart", "--from", "staging", "--to", "prod", "--yes"}));
  CHECK_THAT(later.out, Catch::Contains("  ok    soak: " + kD1.substr(0, 19) + " has run in staging since "));
  CHECK(git.read_file(kRepo, "master", "cart/prod.values.yaml") == values("1.1.0", kD1));
}

TEST_CASE("break-glass: a frozen prod needs a reason and the policy's override approvals", "[promote][freeze]") {
  Fleet fleet("      freeze: [\"Wed 00:00 - Thu 00:00 Z\"]\n"
              "      freeze_override: {approvals: 1, approvers: [dana]}\n");
  GitServer& git = fleet.git;
  ok(hoist_as("erin", git, kRepo, {"promote", "cart", "--from", "qa", "--to", "staging", "--yes"}));
  using namespace std::chrono;
  InProcess p(git, promote::TimePoint(sys_days{year{2026} / December / 9}) + hours(12));  // a Wednesday
  for (const char* who : {"alice", "bob"}) ok(p.run(who, approve_command, {"cart", "--env", "prod", "--yes"}));
  const auto before = git.head(kRepo, "master");
  const std::vector<std::string> args = {"cart", "--from", "staging", "--to", "prod", "--yes"};

  HoistRun frozen = p.run("erin", promote_command, args);
  CHECK(frozen.code == 3);
  CHECK_THAT(frozen.err, Catch::Contains("  freeze: prod is frozen now (Wed 12:00 +00:00) by 'Wed 00:00 - Thu 00:00 Z'"
                                         "; break-glass needs --freeze-override REASON and 1 freeze_override approval"));
  std::vector<std::string> glass = args;
  glass.insert(glass.end(), {"--freeze-override", "payment outage INC-42"});
  HoistRun no_approval = p.run("erin", promote_command, glass);
  CHECK(no_approval.code == 3);
  CHECK_THAT(no_approval.err, Catch::Contains("; the override needs 1 freeze_override approval for " +
                                              kD1.substr(0, 19) + ", has 0"));
  CHECK(git.head(kRepo, "master") == before);

  ok(p.run("dana", approve_command, {"cart", "--env", "prod", "--yes"}));
  HoistRun passed = ok(p.run("erin", promote_command, glass));
  CHECK_THAT(passed.out, Catch::Contains("; overridden (\"payment outage INC-42\") with the approval of dana"));
  const std::string message = git.message(kRepo, "master");
  CHECK_THAT(message, Catch::Contains("Hoist-Freeze-Override: payment outage INC-42\nHoist-Freeze-Override-By: dana\n"));
  CHECK_THAT(message, Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob\n"));
}

TEST_CASE("release: a pipeline's approve step with apps records one set approval, which the promote step's release "
          "counts", "[promote][release]") {
  Fleet fleet;
  GitServer& git = fleet.git;
  ok(hoist_as("erin", git, kRepo, {"promote", "--all", "--from", "qa", "--to", "staging", "--yes"}));
  TempDir dir;
  auto pipeline = [&](const std::string& name, const std::string& with) {
    std::ofstream(dir / name) << "version: 1\nname: ship\nsteps:\n  - id: go\n    uses: " << with << "\n";
    return dir.file(name);
  };
  const std::string repo = "repo: \"" + git.url(kRepo) + "\"";
  auto approve_all = pipeline("all.yaml", "approve\n    with: {apps: all, env: prod, comment: release 42, " + repo + "}");
  auto approve_listed =
      pipeline("listed.yaml", "approve\n    with: {apps: [web, billing, cart, search, users], env: prod, " + repo + "}");
  auto release = pipeline("release.yaml", "promote\n    with: {apps: all, from: staging, to: prod, " + repo + "}");
  auto refs = [&] {
    return run_command(git_command({"--git-dir=" + git.repo_path(kRepo).string(), "for-each-ref",
                                    "--format=%(objectname)", "refs/hoist/approvals/"}))
        .out;
  };

  HoistRun plan = ok(hoist_as("alice", git, kRepo, {"plan", approve_all}));
  CHECK_THAT(plan.out, Catch::Contains("[go] would record:\n[go] hoist-approval-set v1\n[go] environment: prod\n"
                                       "[go] approver: alice\n"));
  CHECK_THAT(plan.out, Catch::Contains("[go] comment: release 42\n[go] app: billing " + kD1 + "\n[go] app: cart " + kD1 +
                                       "\n"));
  CHECK(refs().empty());  // plan mode records nothing

  HoistRun alice = ok(hoist_as("alice", git, kRepo, {"run", approve_all}));
  CHECK_THAT(alice.out, Catch::Contains("[go] approved a release of 5 apps into prod as alice\n"));
  CHECK_THAT(alice.out, Catch::Contains("[go] → apps = billing,cart,search,users,web\n"));
  HoistRun refused = hoist_as("erin", git, kRepo, {"run", release});
  CHECK(refused.code == 3);  // one approval of two
  CHECK_THAT(refused.err + refused.out, Catch::Contains("  web: approvals: 1 of 2 approvals for " + kD1.substr(0, 19)));

  ok(hoist_as("bob", git, kRepo, {"run", approve_listed}));
  const std::string objects = refs();
  CHECK(count(objects, "\n") == 10);  // filed under every app, as two approvals
  std::set<std::string> distinct;
  for (std::size_t s = 0, e; (e = objects.find('\n', s)) != std::string::npos; s = e + 1)
    distinct.insert(objects.substr(s, e - s));
  CHECK(distinct.size() == 2);

  ok(hoist_as("erin", git, kRepo, {"run", release}));
  CHECK(count(git.message(kRepo, "master"), "Hoist-Approved-By: alice\nHoist-Approved-By: bob\n") == 5);
  for (const auto& app : kApps)
    CHECK(git.read_file(kRepo, "master", app + "/prod.values.yaml") == values("1.1.0", kD1));
}

TEST_CASE("release: the approve step takes app or apps, and no digest with apps", "[promote][release]") {
  GitServer git;  // only for hoist_as's environment; nothing is fetched
  TempDir dir;
  std::ofstream(dir / "p.yaml") << "version: 1\nname: ship\nsteps:\n"
                                   "  - id: both\n    uses: approve\n    with: {app: web, apps: all, env: prod, repo: x}\n"
                                   "  - id: none\n    uses: approve\n    with: {env: prod, repo: x}\n"
                                   "  - id: pinned\n    uses: approve\n"
                                   "    with: {apps: [web], env: prod, repo: x, digest: \"" + kD1 + "\"}\n";
  HoistRun r = hoist_as("erin", git, kRepo, {"validate", dir.file("p.yaml")});
  CHECK(r.code == 2);
  const std::string at = "hoist: error: " + dir.file("p.yaml");
  CHECK(r.err == at + ":6:28: give 'app' or 'apps', not both\n" +
                     at + ":9:11: approve needs 'app' (or 'apps' for a release) in its with\n" +
                     at + ":12:53: 'digest' names one app's digest: it cannot be given with 'apps'\n");
}
