// A mixed manifest repository under one gate, end to end on the real git server and registry: Helm services
// (api-gateway with the default image.tag; billing, whose CronJob holds a whole reference) and a kustomize service
// (web, an `images:` entry in overlays). The policy says each app's file and image places (`apps:`); promotion moves
// every place, pins the digest wherever the file can record one (a flow-style kustomize entry too, as kubectl
// kustomize then renders it), and the plan lists each place it changes.
#include <catch2/catch.hpp>

#include "tests/support/command.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/render_tools.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";

// The fixture's policy (2 approvals into prod) with the apps' own shapes.
std::string policy(const std::string& image_pattern) {
  std::string text = std::string(kPromotePolicy) + R"(apps:
  billing:
    image_at: {tag: image.tag, ref: ["cronjobs[0].image"]}
  web:
    file: "web/overlays/{env}/kustomization.yaml"
    image_at: {kustomize: registry.example.com/shop/web}
)";
  const std::string example = "registry.example.com/shop/{app}";
  text.replace(text.find(example), example.size(), image_pattern);
  return text;
}

std::string billing(const std::string& tag, const std::string& cron) {
  return "image:\n  repository: registry.example.com/shop/billing\n  tag: \"" + tag +
         "\"\ncronjobs:\n  - name: invoices\n    schedule: \"0 3 * * *\"\n    image: registry.example.com/shop/billing:" +
         cron + "\n";
}

std::string web_overlay(const std::string& env, const std::string& tag, const std::string& digest) {
  return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop-" + env +
         "\nresources:\n  - ../../base\nimages:\n  - name: registry.example.com/shop/web\n    newTag: \"" + tag +
         "\"\n" + (digest.empty() ? "" : "    digest: " + digest + "\n");
}

const char* kWebDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/shop/web
)";

RepoFiles branch_files(const std::string& env, const std::string& file_env) {
  return {{"api-gateway/" + file_env + ".values.yaml", values("1.0.0", kD0)},
          {"billing/" + file_env + ".values.yaml", billing("1.0.0", "1.0.0")},
          {"web/base/kustomization.yaml", "resources:\n  - deployment.yaml\n"},
          {"web/base/deployment.yaml", kWebDeployment},
          {"web/overlays/" + env + "/kustomization.yaml", web_overlay(env, "1.0.0", "")}};
}

struct Mixed {
  PromoteServers servers;
  GitServer& git = servers.git;
  // With PROD_COPY, prod pulls its images from prod/{app} in the registry (promotion copies them there).
  explicit Mixed(bool prod_copy = false) {
    for (const std::string app : {"billing", "web"}) {
      push_tiny_image(servers.registry, "shop/" + app, "1.0.0", 0);
      push_tiny_image(servers.registry, "shop/" + app, "1.1.0", 1);
    }
    RepoFiles master = branch_files("prod", "prod");
    master["hoist.yaml"] = policy(servers.image_pattern());
    if (prod_copy)
      master["hoist.yaml"].replace(master["hoist.yaml"].find("    after: staging\n"), 19,
                                   "    after: staging\n    image: \"" + servers.registry.image("prod/{app}") + "\"\n");
    git.create_repo(kRepo, {{"qa", branch_files("qa", "qa")},
                            {"staging", branch_files("staging", "staging")},
                            {"master", master}});
    // The pipelines' bumps into qa (Hoist-Actor: frank), so what qa runs has a lineage.
    git.commit(kRepo, "qa", {{"web/overlays/qa/kustomization.yaml", web_overlay("qa", "1.1.0", kD1)}},
               "web: bump qa to 1.1.0\n\nHoist-Image-Digest: " + kD1 + "\nHoist-Actor: frank\n");
    git.commit(kRepo, "qa", {{"billing/qa.values.yaml", billing("1.1.0", "1.1.0@" + kD1)}},
               "billing: bump qa to 1.1.0\n\nHoist-Image-Digest: " + kD1 + "\nHoist-Actor: frank\n");
  }

  HoistRun run(const std::string& user, const std::vector<std::string>& args) {
    HoistRun r = hoist_as(user, git, kRepo, args);
    INFO(r.out << r.err);
    return r;
  }
};

// The plan's "sets" block: from its line to the line before "  copy" / "  image".
std::string sets_block(const std::string& out) {
  const auto from = out.find("  sets  ");
  const auto to = out.find("\n  image ", from);
  return from == std::string::npos ? "" : out.substr(from, to == std::string::npos ? std::string::npos : to - from + 1);
}

// The plan of web qa -> staging sets newTag and the digest (at these lines of the overlay): nothing runs by tag.
void check_web_plan(Mixed& m, int tag_line, int digest_line) {
  HoistRun plan = m.run("erin", {"promote", "web", "--from", "qa", "--to", "staging", "--plan"});
  REQUIRE(plan.code == 0);
  CHECK(sets_block(plan.out) ==
        "  sets  web/overlays/staging/kustomization.yaml on branch staging:\n"
        "          images[name=registry.example.com/shop/web].newTag (line " + std::to_string(tag_line) +
            "): 1.0.0 -> 1.1.0\n"
        "          images[name=registry.example.com/shop/web].digest (line " + std::to_string(digest_line) +
            "): (none) -> " + kD1 + "\n");
  CHECK_THAT(plan.out, !Catch::Contains("will run by tag only"));
}

}  // namespace

TEST_CASE("hoist validate --policy accepts the mixed repository's policy", "[promote][shapes]") {
  TempDir dir;
  write_tree_file(dir / "hoist.yaml", policy("registry.example.com/shop/{app}"));
  HoistRun r = run_hoist({"validate", "--policy", dir.file("hoist.yaml")});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK(r.out == dir.file("hoist.yaml") + ": ok (3 environments)\n");
}

TEST_CASE("a kustomize service is gated and promoted qa -> staging -> prod with its digest pinned", "[promote][shapes]") {
  Mixed m;
  check_web_plan(m, 8, 9);

  REQUIRE(m.run("erin", {"promote", "web", "--from", "qa", "--to", "staging", "--yes"}).code == 0);
  CHECK(m.git.read_file(kRepo, "staging", "web/overlays/staging/kustomization.yaml") ==
        web_overlay("staging", "1.1.0", kD1));

  HoistRun refused = m.run("erin", {"promote", "web", "--from", "staging", "--to", "prod", "--yes"});
  CHECK(refused.code == 3);
  REQUIRE(m.run("alice", {"approve", "web", "--env", "prod", "--yes"}).code == 0);
  REQUIRE(m.run("bob", {"approve", "web", "--env", "prod", "--yes"}).code == 0);
  HoistRun p = m.run("erin", {"promote", "web", "--from", "staging", "--to", "prod", "--yes"});
  REQUIRE(p.code == 0);
  CHECK(m.git.read_file(kRepo, "master", "web/overlays/prod/kustomization.yaml") == web_overlay("prod", "1.1.0", kD1));
  CHECK_THAT(m.git.message(kRepo, "master"), Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob"));
  HoistRun status = m.run("erin", {"status", "web"});
  REQUIRE(status.code == 0);
  CHECK_THAT(status.out, Catch::Matches("(.|\n)*\n  prod +master +1\\.1\\.0 +" + kD1.substr(0, 19) +
                                        " .* erin +same as staging\n"));
  // Every app with a file on the production branch, wherever its rule puts it.
  HoistRun board = m.run("erin", {"status", "--output", "json"});
  REQUIRE(board.code == 0);
  for (const std::string file : {"api-gateway/prod.values.yaml", "billing/prod.values.yaml",
                                 "web/overlays/prod/kustomization.yaml"})
    CHECK_THAT(board.out, Catch::Contains("\"file\":\"" + file + "\""));
}

TEST_CASE("into an environment that pulls from its own repository, newName and the CronJob name the copy",
          "[promote][shapes]") {
  Mixed m(true);
  const std::string prod_web = m.servers.registry.image("prod/web");
  const std::string prod_billing = m.servers.registry.image("prod/billing");
  for (const std::string app : {"web", "billing"}) {
    REQUIRE(m.run("erin", {"promote", app, "--from", "qa", "--to", "staging", "--yes"}).code == 0);
    REQUIRE(m.run("alice", {"approve", app, "--env", "prod", "--yes"}).code == 0);
    REQUIRE(m.run("bob", {"approve", app, "--env", "prod", "--yes"}).code == 0);
  }
  HoistRun plan = m.run("erin", {"promote", "web", "--from", "staging", "--to", "prod", "--plan"});
  REQUIRE(plan.code == 0);
  CHECK_THAT(plan.out, Catch::Contains("  copy  " + m.servers.registry.image("shop/web") + "@" + kD1 + " -> " + prod_web +
                                       ":1.1.0\n"));
  CHECK_THAT(plan.out, Catch::Contains("          images[name=registry.example.com/shop/web].newName (line 10): (none) -> " +
                                       prod_web + "\n"));
  REQUIRE(m.run("erin", {"promote", "web", "--from", "staging", "--to", "prod", "--yes"}).code == 0);
  std::string overlay = web_overlay("prod", "1.1.0", kD1);
  overlay += "    newName: " + prod_web + "\n";
  CHECK(m.git.read_file(kRepo, "master", "web/overlays/prod/kustomization.yaml") == overlay);

  REQUIRE(m.run("erin", {"promote", "billing", "--from", "staging", "--to", "prod", "--yes"}).code == 0);
  std::string values = billing("1.1.0", "1.1.0@" + kD1);
  values.replace(values.rfind("registry.example.com/shop/billing"), 33, prod_billing);
  CHECK(m.git.read_file(kRepo, "master", "billing/prod.values.yaml") == values);
}

TEST_CASE("billing's CronJob reference moves with its tag, pinned, and the plan lists both places", "[promote][shapes]") {
  Mixed m;
  HoistRun plan = m.run("erin", {"promote", "billing", "--from", "qa", "--to", "staging", "--plan"});
  REQUIRE(plan.code == 0);
  CHECK(sets_block(plan.out) ==
        "  sets  billing/staging.values.yaml on branch staging:\n"
        "          image.tag (line 3): 1.0.0 -> 1.1.0\n"
        "          cronjobs[0].image (line 7): registry.example.com/shop/billing:1.0.0 -> "
        "registry.example.com/shop/billing:1.1.0@" + kD1 + "\n");
  REQUIRE(m.run("erin", {"promote", "billing", "--from", "qa", "--to", "staging", "--yes"}).code == 0);
  CHECK(m.git.read_file(kRepo, "staging", "billing/staging.values.yaml") == billing("1.1.0", "1.1.0@" + kD1));
  CHECK_THAT(m.git.message(kRepo, "staging"), Catch::Contains("Hoist-Image-Digest: " + kD1));
}

TEST_CASE("a target with no place for a digest: the plan says it runs by tag and claims no digest", "[promote][shapes]") {
  Mixed m;
  m.git.commit(kRepo, "staging", {{"api-gateway/staging.values.yaml", values("1.0.0", "")}});
  m.git.commit(kRepo, "qa", {{"api-gateway/qa.values.yaml", values("1.1.0", kD1)}},
               "api-gateway: bump qa to 1.1.0\n\nHoist-Image-Digest: " + kD1 + "\nHoist-Actor: frank\n");
  HoistRun plan = m.run("erin", {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--plan"});
  REQUIRE(plan.code == 0);
  CHECK(sets_block(plan.out) ==
        "  sets  api-gateway/staging.values.yaml on branch staging:\n"
        "          image.tag (line 4): 1.0.0 -> 1.1.0\n"
        "  note  api-gateway/staging.values.yaml has no place for a digest: staging will run by tag only\n");
  REQUIRE(m.run("erin", {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"}).code == 0);
  CHECK(m.git.read_file(kRepo, "staging", "api-gateway/staging.values.yaml") == values("1.1.0", ""));
}

TEST_CASE("places that disagree or are missing refuse the promotion with exit 2 and change nothing",
          "[promote][shapes]") {
  Mixed m;
  const auto before = m.git.head(kRepo, "staging");
  SECTION("the target's CronJob runs another tag than its image.tag") {
    m.git.commit(kRepo, "staging", {{"billing/staging.values.yaml", billing("1.0.0", "0.9.0")}});
    HoistRun r = m.run("erin", {"promote", "billing", "--from", "qa", "--to", "staging", "--yes"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("billing/staging.values.yaml: image.tag (3:8) says tag 1.0.0 but "
                                      "cronjobs[0].image (7:12) says 0.9.0"));
  }
  SECTION("the target has no CronJob reference") {
    m.git.commit(kRepo, "staging", {{"billing/staging.values.yaml", "image:\n  tag: \"1.0.0\"\n"}});
    HoistRun r = m.run("erin", {"promote", "billing", "--from", "qa", "--to", "staging", "--yes"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("billing/staging.values.yaml: no ref cronjobs[0].image (the app's image_at in "
                                      "hoist.yaml names it)"));
  }
  CHECK(m.git.head(kRepo, "staging") != before);  // only the hand edit above
  CHECK_THAT(m.git.message(kRepo, "staging"), !Catch::Contains("Hoist-Promoted-From"));
}

TEST_CASE("a flow-style kustomize images entry gets its digest on promotion, and kubectl kustomize renders it pinned",
          "[promote][shapes]") {
  require_kustomize();
  Mixed m;
  auto overlay = [](const std::string& env, const std::string& images) {
    return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop-" + env +
           "\nresources:\n  - ../../base\n" + images;
  };
  m.git.commit(kRepo, "staging", {{"web/overlays/staging/kustomization.yaml",
                                   overlay("staging", "images: [{name: registry.example.com/shop/web, newTag: "
                                                      "\"1.0.0\"}]   # flow\n")}});
  check_web_plan(m, 6, 6);
  REQUIRE(m.run("erin", {"promote", "web", "--from", "qa", "--to", "staging", "--yes"}).code == 0);
  const std::string staging =
      m.git.read_file(kRepo, "staging", "web/overlays/staging/kustomization.yaml").value_or("");
  CHECK(staging == overlay("staging", "images: [{name: registry.example.com/shop/web, newTag: \"1.1.0\", digest: \"" +
                                          kD1 + "\"}]   # flow\n"));

  // kubectl kustomize reads the edited overlay and runs the image by digest.
  TempDir tree;
  write_tree_file(tree / "web/base/kustomization.yaml", m.git.read_file(kRepo, "staging", "web/base/kustomization.yaml").value_or(""));
  write_tree_file(tree / "web/base/deployment.yaml", m.git.read_file(kRepo, "staging", "web/base/deployment.yaml").value_or(""));
  write_tree_file(tree / "web/overlays/staging/kustomization.yaml", staging);
  Command kustomize;
  kustomize.argv = {"kubectl", "kustomize", (tree / "web/overlays/staging").string()};
  CommandResult rendered = run_command(kustomize);
  INFO(rendered.err);
  REQUIRE(rendered.ok());
  CHECK_THAT(rendered.out, Catch::Contains("image: registry.example.com/shop/web:1.1.0@" + kD1 + "\n"));

  // A flow entry in a block list, into prod.
  m.git.commit(kRepo, "master", {{"web/overlays/prod/kustomization.yaml",
                                  overlay("prod", "images:\n  - {name: registry.example.com/shop/web, newTag: 1.0.0}\n")}});
  for (const char* who : {"alice", "bob"}) REQUIRE(m.run(who, {"approve", "web", "--env", "prod", "--yes"}).code == 0);
  REQUIRE(m.run("erin", {"promote", "web", "--from", "staging", "--to", "prod", "--yes"}).code == 0);
  CHECK(m.git.read_file(kRepo, "master", "web/overlays/prod/kustomization.yaml") ==
        overlay("prod", "images:\n  - {name: registry.example.com/shop/web, newTag: 1.1.0, digest: \"" + kD1 + "\"}\n"));
}
