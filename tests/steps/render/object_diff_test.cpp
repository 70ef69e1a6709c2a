// The object-level differ (steps/render/object_diff.hpp) on hand-written renders and on a 19-document plain
// manifest in the shape of ingress-nginx's deploy.yaml: needs no renderer, so it runs everywhere.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "runner/util/errors.hpp"
#include "steps/render/object_diff.hpp"
#include "steps/render/objects.hpp"

using namespace hoist::rendering;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(HOIST_SOURCE_DIR) + "/tests/steps/render/fixtures/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void replace(std::string& text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

ObjectDiff diff(const std::string& a, const std::string& b) {
  return diff_objects(parse_objects(a, "old"), parse_objects(b, "new"));
}

}  // namespace

TEST_CASE("parse_objects keys objects by kind, namespace and name, opens a List and skips empty documents", "[render]") {
  auto objects = parse_objects(
      "---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n"
      "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: n}}\n"
      "  - {apiVersion: v1, kind: Namespace, metadata: {name: n}}\n",
      "r.yaml");
  REQUIRE(objects.size() == 2);
  CHECK(objects[0].key() == "v1/ConfigMap/n/a");
  CHECK(objects[0].display() == "ConfigMap/n/a");
  CHECK(objects[1].display() == "Namespace/n");
}

TEST_CASE("parse_objects names the place of broken YAML, a nameless object and a repeated one", "[render]") {
  CHECK_THROWS_WITH(parse_objects("kind: A\nmetadata: {name: [x\n", "r.yaml"), Catch::StartsWith("r.yaml:"));
  CHECK_THROWS_WITH(parse_objects("apiVersion: v1\nkind: Service\nmetadata: {}\n", "r.yaml"),
                    "r.yaml:1:1: a rendered Service without metadata.name");
  CHECK_THROWS_WITH(parse_objects("kind: A\nmetadata: {name: x}\n---\nkind: A\nmetadata: {name: x}\n", "r.yaml"),
                    "r.yaml:4:1: A/x is rendered twice");
  CHECK_THROWS_AS(parse_objects("- a\n", "r.yaml"), hoist::InputError);
}

TEST_CASE("the differ names list items by name, else by position, and shows absent values as (none)", "[render]") {
  const std::string before =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    example.com/rev: \"1\"\n"
      "spec:\n  template:\n    spec:\n      containers:\n"
      "        - name: server\n          image: web:1\n          args: [--a, --b]\n"
      "        - name: proxy\n          image: envoy:1\n";
  const std::string after =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    example.com/rev: \"2\"\n"
      "spec:\n  template:\n    spec:\n      containers:\n"
      "        - name: proxy\n          image: envoy:1\n"
      "        - name: server\n          image: web:2\n          args: [--a, --c, --d]\n"
      "          resources: {limits: {cpu: 1}}\n";
  ObjectDiff d = diff(before, after);
  CHECK(d.count_line() == "1 object changes: 1 Deployment");
  CHECK(d.lines() == std::vector<std::string>{
                         "Deployment/web  metadata.annotations[\"example.com/rev\"]  1 → 2",
                         "Deployment/web  spec.template.spec.containers[name=server].image  web:1 → web:2",
                         "Deployment/web  spec.template.spec.containers[name=server].args[1]  --b → --c",
                         "Deployment/web  spec.template.spec.containers[name=server].args[2]  (none) → --d",
                         "Deployment/web  spec.template.spec.containers[name=server].resources  (none) → {limits: {cpu: 1}}",
                     });
  CHECK(diff(before, before).changes.empty());
  CHECK(diff(before, before).count_line() == "no object changes");
}

TEST_CASE("object diffs of a 19-document plain manifest in the shape of ingress-nginx", "[render]") {
  const std::string before = fixture("plain/ingress-nginx.yaml");
  REQUIRE(parse_objects(before, "ingress-nginx.yaml").size() == 19);
  std::string after = before;
  replace(after, "controller:v1.9.4", "controller:v1.9.5");
  replace(after, "proxy-body-size: 8m", "proxy-body-size: 16m");
  replace(after, "kind: IngressClass\nmetadata:\n  name: nginx\n", "kind: IngressClass\nmetadata:\n  name: nginx-internal\n");
  ObjectDiff d = diff_objects(parse_objects(before, "old"), parse_objects(after, "new"));
  CHECK(d.count_line() == "4 objects change: 1 ConfigMap, 1 Deployment, 2 IngressClass");
  CHECK(d.lines() ==
        std::vector<std::string>{
            "ConfigMap/ingress-nginx/ingress-nginx-controller  data.proxy-body-size  8m → 16m",
            "Deployment/ingress-nginx/ingress-nginx-controller  spec.template.spec.containers[name=controller].image  "
            "registry.k8s.io/ingress-nginx/controller:v1.9.4 → registry.k8s.io/ingress-nginx/controller:v1.9.5",
            "IngressClass/nginx-internal  added",
            "IngressClass/nginx  removed",
        });
  const std::string unified = d.unified();
  CHECK_THAT(unified, Catch::Contains("--- a/ConfigMap/ingress-nginx/ingress-nginx-controller\n"
                                      "+++ b/ConfigMap/ingress-nginx/ingress-nginx-controller\n"));
  CHECK_THAT(unified, Catch::Contains("-  proxy-body-size: 8m\n+  proxy-body-size: 16m\n"));
  CHECK_THAT(unified, Catch::Contains("--- /dev/null\n+++ b/IngressClass/nginx-internal\n"));
  CHECK_THAT(unified, Catch::Contains("--- a/IngressClass/nginx\n+++ /dev/null\n"));
  auto j = d.json();
  CHECK(j["summary"] == d.count_line());
  REQUIRE(j["objects"].size() == 4);
  CHECK(j["objects"][1]["kind"] == "Deployment");
  CHECK(j["objects"][1]["namespace"] == "ingress-nginx");
  CHECK(j["objects"][1]["change"] == "changed");
  CHECK(j["objects"][1]["fields"][0]["new"] == "registry.k8s.io/ingress-nginx/controller:v1.9.5");
  CHECK(j["objects"][3]["change"] == "removed");
}
