// `hoist promote --plan` between two kustomize overlays (the images transformer holds tag and digest), end to end
// against the real git server: the plan shows the Deployment whose image changes. (A promotion sets only a tag and
// a digest, which kustomize does not check, so the refusal of a breaking edit is tested with hoist bump, through the
// same hook: render_bump_test.cpp.)
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "steps/gate/promotion.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/render_tools.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

// The gate checks the tag in the registry where the policy says the app's image lives (PromoteServers' registry);
// the overlay names the image as the Deployment does.
std::string policy(const std::string& image_pattern) {
  return R"(environments:
  qa: {branch: qa, file: "{app}/overlays/qa/kustomization.yaml"}
  staging: {branch: master, file: "{app}/overlays/staging/kustomization.yaml", after: qa}
image: ")" + image_pattern + R"("
image_key: "images[name=registry.example.com/shop/api-gateway].newTag"
)";
}

std::string overlay(const std::string& env, const std::string& tag, const std::string& digest) {
  return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop-" + env +
         "\nresources:\n  - ../../base\nimages:\n  - name: registry.example.com/shop/api-gateway\n    newTag: \"" + tag +
         "\"\n    digest: " + digest + "\n";
}

RepoFiles branch(const std::string& env, const std::string& overlay_text) {
  return {{"api-gateway/base/kustomization.yaml", "resources:\n  - deployment.yaml\n"},
          {"api-gateway/base/deployment.yaml", kShopDeployment},
          {"api-gateway/overlays/" + env + "/kustomization.yaml", overlay_text}};
}

// qa runs 1.1.0 (from a pipeline's bump, Hoist-Actor, so what it runs has a lineage), staging 1.0.0.
void seed(PromoteServers& servers) {
  GitServer& git = servers.git;
  RepoFiles staging_branch = branch("staging", overlay("staging", "1.0.0", kD0));  // the production branch
  staging_branch["hoist.yaml"] = policy(servers.image_pattern());
  git.create_repo("manifests", {{"qa", branch("qa", overlay("qa", "1.0.0", kD0))}, {"master", staging_branch}});
  git.commit("manifests", "qa", {{"api-gateway/overlays/qa/kustomization.yaml", overlay("qa", "1.1.0", kD1)}},
             "api-gateway: bump qa to 1.1.0\n\nHoist-Image-Digest: " + kD1 + "\nHoist-Actor: frank\n");
}

}  // namespace

TEST_CASE("hoist promote --plan between kustomize overlays shows the Deployment whose image changes", "[render][promote]") {
  require_kustomize();
  PromoteServers servers;
  GitServer& git = servers.git;
  seed(servers);
  HoistRun r = hoist_as("erin", git, "manifests", {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--plan"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("rendered kustomize api-gateway/overlays/staging ("));
  CHECK_THAT(r.out, Catch::Contains("): 1 object changes: 1 Deployment\n"
                                    "  Deployment/shop-staging/api-gateway  spec.template.spec.containers[name=server]"
                                    ".image  registry.example.com/shop/api-gateway:1.0.0@" + kD0 +
                                    " → registry.example.com/shop/api-gateway:1.1.0@" + kD1 + "\n"));
  CHECK_THAT(r.out, Catch::Contains("+++ b/Deployment/shop-staging/api-gateway\n"));
}

TEST_CASE("a pipeline's promote step gives the rendered objects as outputs, as manifest/bump does", "[render][promote]") {
  require_kustomize();
  PromoteServers servers;
  GitServer& git = servers.git;
  seed(servers);
  TempDir dir;
  const std::string file = (dir.path() / "promote.yaml").string();
  std::ofstream(file) << "version: 1\nname: ship\nsteps:\n  - id: go\n    uses: promote\n"
                         "    with: {app: api-gateway, from: qa, to: staging, repo: \""
                      << git.url("manifests") << "\"}\n";
  HoistRun r = hoist_as("erin", git, "manifests", {"plan", file, "--output", "json"});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  nlohmann::json outputs = last_step_outputs(r.out);
  REQUIRE(outputs.is_object());
  CHECK(outputs["objects"] == "1 object changes: 1 Deployment");
  auto rendered = nlohmann::json::parse(outputs["rendered"].get<std::string>());
  REQUIRE(rendered["sections"].size() == 1);
  const auto& object = rendered["sections"][0]["objects"][0];
  CHECK(object["kind"] == "Deployment");
  CHECK(object["fields"][0]["path"] == "spec.template.spec.containers[name=server].image");
  CHECK(object["fields"][0]["new"] == "registry.example.com/shop/api-gateway:1.1.0@" + kD1);
}

TEST_CASE("a promotion's webhook notice carries the rendered object count after the values change", "[render][promote]") {
  promote::PromotionPlan plan;
  plan.change = "image.tag: 1.0.0 -> 1.1.0";
  CHECK(plan.notice().change == "image.tag: 1.0.0 -> 1.1.0");
  plan.objects = "1 object changes: 1 Deployment";
  CHECK(plan.notice().change == "image.tag: 1.0.0 -> 1.1.0; 1 object changes: 1 Deployment");
}
