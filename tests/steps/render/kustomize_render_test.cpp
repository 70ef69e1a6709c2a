// Rendering kustomize overlays with the real kustomize (or kubectl kustomize) and diffing the objects: the images
// transformer, a strategic-merge and a JSON patch, the replicas field, and a configMapGenerator whose hash suffix
// changes with its content. Not run (by name, never passed) where neither tool is installed: render_tools.hpp.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/process/subprocess.hpp"
#include "steps/render/object_diff.hpp"
#include "steps/render/render_target.hpp"
#include "steps/render/renderer.hpp"
#include "tests/support/render_tools.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist::rendering;
namespace fs = std::filesystem;

namespace {

const fs::path kShop = fs::path(HOIST_SOURCE_DIR) / "tests/steps/render/fixtures/shop";

void edit(const fs::path& file, const std::string& from, const std::string& to) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::trunc) << text;
}

struct Shop {
  hoist::test::TempDir dir{"hoist-render"};
  hoist::PosixProcessRunner runner;
  RenderEnv env{&runner, hoist::current_environment(), nullptr};
  std::unique_ptr<Renderer> renderer;
  RenderTarget qa{RenderKind::kustomize, "overlays/qa", {}};

  Shop() {
    fs::copy(kShop, dir.path(), fs::copy_options::recursive);
    std::string missing;
    renderer = make_renderer(RenderKind::kustomize, env, &missing);
    REQUIRE(renderer);
  }
  std::vector<K8sObject> render() {
    Rendered r = renderer->render(dir.path(), qa);
    INFO(r.error);
    REQUIRE(r.ok);
    return parse_objects(r.yaml, "qa");
  }
};

}  // namespace

TEST_CASE("kustomize: the images transformer's new tags change one Deployment and one CronJob", "[render]") {
  hoist::test::require_kustomize();
  Shop shop;
  auto before = shop.render();
  CHECK(before.size() == 4);
  edit(shop.dir / "overlays/qa/kustomization.yaml", "shop/api-gateway\n    newTag: \"1.0.0\"",
       "shop/api-gateway\n    newTag: \"1.1.0\"");
  edit(shop.dir / "overlays/qa/kustomization.yaml", "shop/report\n    newTag: \"1.0.0\"",
       "shop/report\n    newTag: \"1.1.0\"");
  ObjectDiff d = diff_objects(before, shop.render());
  CHECK(d.count_line() == "2 objects change: 1 Deployment, 1 CronJob");
  CHECK(d.lines() ==
        std::vector<std::string>{
            "Deployment/shop-qa/api-gateway  spec.template.spec.containers[name=server].image  "
            "registry.example.com/shop/api-gateway:1.0.0 → registry.example.com/shop/api-gateway:1.1.0",
            "CronJob/shop-qa/report  spec.jobTemplate.spec.template.spec.containers[name=report].image  "
            "registry.example.com/shop/report:1.0.0 → registry.example.com/shop/report:1.1.0",
        });
  CHECK(d.unified() ==
        "diff --git a/Deployment/shop-qa/api-gateway b/Deployment/shop-qa/api-gateway\n"
        "index ed789af..5968150 100644\n"
        "--- a/Deployment/shop-qa/api-gateway\n"
        "+++ b/Deployment/shop-qa/api-gateway\n"
        "@@ -19,7 +19,7 @@ spec:\n"
        "         - envFrom:\n"
        "             - configMapRef:\n"
        "                 name: shop-settings-26m5b9kcd7\n"
        "-          image: registry.example.com/shop/api-gateway:1.0.0\n"
        "+          image: registry.example.com/shop/api-gateway:1.1.0\n"
        "           name: server\n"
        "           ports:\n"
        "             - containerPort: 8080\n"
        "diff --git a/CronJob/shop-qa/report b/CronJob/shop-qa/report\n"
        "index 3421890..b1c4f1f 100644\n"
        "--- a/CronJob/shop-qa/report\n"
        "+++ b/CronJob/shop-qa/report\n"
        "@@ -12,7 +12,7 @@ spec:\n"
        "             - args:\n"
        "                 - --since\n"
        "                 - 24h\n"
        "-              image: registry.example.com/shop/report:1.0.0\n"
        "+              image: registry.example.com/shop/report:1.1.0\n"
        "               name: report\n"
        "           restartPolicy: OnFailure\n"
        "   schedule: 0 5 * * *\n");
}

TEST_CASE("kustomize: the strategic-merge patch, the JSON patch and replicas show as field changes", "[render]") {
  hoist::test::require_kustomize();
  Shop shop;
  auto before = shop.render();
  edit(shop.dir / "overlays/qa/resources.yaml", "memory: 256Mi", "memory: 512Mi");
  edit(shop.dir / "overlays/qa/kustomization.yaml", "value: \"0 5 * * *\"", "value: \"30 4 * * *\"");
  edit(shop.dir / "overlays/qa/kustomization.yaml", "count: 2", "count: 3");
  ObjectDiff d = diff_objects(before, shop.render());
  CHECK(d.count_line() == "2 objects change: 1 Deployment, 1 CronJob");
  CHECK(d.lines() == std::vector<std::string>{
                         "Deployment/shop-qa/api-gateway  spec.replicas  2 → 3",
                         "Deployment/shop-qa/api-gateway  "
                         "spec.template.spec.containers[name=server].resources.limits.memory  256Mi → 512Mi",
                         "CronJob/shop-qa/report  spec.schedule  0 5 * * * → 30 4 * * *",
                     });
}

TEST_CASE("kustomize: a configMapGenerator whose content changes renames its ConfigMap and every reference", "[render]") {
  hoist::test::require_kustomize();
  Shop shop;
  auto before = shop.render();
  edit(shop.dir / "overlays/qa/settings.yaml", "logLevel: info", "logLevel: debug");
  ObjectDiff d = diff_objects(before, shop.render());
  CHECK(d.count_line() == "3 objects change: 2 ConfigMap, 1 Deployment");
  CHECK(d.lines() == std::vector<std::string>{
                         "ConfigMap/shop-qa/shop-settings-gcdc46g464  added",
                         "Deployment/shop-qa/api-gateway  "
                         "spec.template.spec.containers[name=server].envFrom[0].configMapRef.name  "
                         "shop-settings-26m5b9kcd7 → shop-settings-gcdc46g464",
                         "ConfigMap/shop-qa/shop-settings-26m5b9kcd7  removed",
                     });
}

TEST_CASE("kustomize: an overlay that does not build is a failed render with the tool's message", "[render]") {
  hoist::test::require_kustomize();
  Shop shop;
  edit(shop.dir / "overlays/qa/kustomization.yaml", "count: 2", "count: two");
  Rendered r = shop.renderer->render(shop.dir.path(), shop.qa);
  CHECK_FALSE(r.ok);
  CHECK_THAT(r.error, Catch::StartsWith(shop.renderer->tool() == "kubectl kustomize" ? "kubectl kustomize exited with 1: "
                                                                                      : "kustomize exited with 1: "));
}

TEST_CASE("targets are found from the repository's shape: kustomization, chart, plain manifest, or none", "[render]") {
  hoist::test::TempDir dir{"hoist-render"};
  fs::copy(kShop, dir / "shop", fs::copy_options::recursive);
  fs::create_directories(dir / "api");
  std::ofstream(dir / "api/Chart.yaml") << "apiVersion: v2\nname: api\nversion: 0.1.0\n";
  std::ofstream(dir / "api/qa.values.yaml") << "image:\n  tag: 1.0.0\n";
  fs::create_directories(dir / "plain");
  std::ofstream(dir / "plain/app.yaml") << "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n";
  std::ofstream(dir / "web.values.yaml") << "image:\n  tag: 1.0.0\n";
  Detection d = detect_targets(dir.path(), {"api/qa.values.yaml", "plain/app.yaml", "shop/overlays/qa/kustomization.yaml",
                                            "shop/overlays/qa/settings.yaml", "web.values.yaml"});
  REQUIRE(d.targets.size() == 3);
  CHECK(d.targets[0].label() == "helm chart api with api/qa.values.yaml");
  CHECK(d.targets[1].label() == "kustomize shop/overlays/qa");
  CHECK(d.targets[2].label() == "manifests plain/app.yaml");
  CHECK(d.unrendered == std::vector<std::string>{"web.values.yaml"});
}

TEST_CASE("no renderer without its tool on PATH: the reason names what is missing", "[render]") {
  hoist::PosixProcessRunner runner;
  RenderEnv env{&runner, {{"PATH", "/nonexistent"}}, nullptr};
  std::string missing;
  CHECK_FALSE(make_renderer(RenderKind::kustomize, env, &missing));
  CHECK(missing == "neither kustomize nor kubectl is on PATH");
  CHECK_FALSE(make_renderer(RenderKind::helm, env, &missing));
  CHECK(missing == "helm is not on PATH");
  auto plain = make_renderer(RenderKind::plain, env, &missing);
  REQUIRE(plain);
  CHECK(plain->tool() == "plain");
}
