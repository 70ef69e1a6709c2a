// Key path edits on Helm values and kustomization files: the output text is asserted whole, and the difference from
// the input must be exactly the edited values' bytes.

#include <catch2/catch.hpp>

#include "steps/yamledit/yamledit.hpp"
#include "tests/support/line_diff.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using namespace hoist::test;
using hoist::yamledit::apply_edits;

namespace {

const std::string helm_values = R"(# Helm values for api-gateway (qa)
replicaCount: 2

image:
  repository: registry.example.com/shop/api-gateway
  tag: "1.4.0"   # bumped by CI
  pullPolicy: IfNotPresent

sidecars:
  - name: envoy
    image:
      repository: envoyproxy/envoy
      tag: v1.27.0
  - name: log
    image: {repository: fluent/fluent-bit, tag: '2.1'}

podAnnotations:
  "app.kubernetes.io/version": 1.4.0  # kept in step with image.tag
)";

}  // namespace

TEST_CASE("Helm values: one edit keeps the quotes and the comment after the value", "[yamledit]") {
  auto r = apply_edits(helm_values, {set("image.tag", "abc1234")}, "qa.values.yaml");
  CHECK(r.text == R"(# Helm values for api-gateway (qa)
replicaCount: 2

image:
  repository: registry.example.com/shop/api-gateway
  tag: "abc1234"   # bumped by CI
  pullPolicy: IfNotPresent

sidecars:
  - name: envoy
    image:
      repository: envoyproxy/envoy
      tag: v1.27.0
  - name: log
    image: {repository: fluent/fluent-bit, tag: '2.1'}

podAnnotations:
  "app.kubernetes.io/version": 1.4.0  # kept in step with image.tag
)");
  CHECK(only_values_changed(helm_values, r.text, {{"\"1.4.0\"", "\"abc1234\""}}) == "");
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].line == 6);
  CHECK(r.changes[0].path == "image.tag");
  CHECK(r.changes[0].old_value == "1.4.0");
  CHECK(r.changes[0].new_value == "abc1234");
}

TEST_CASE("Helm values: indexes, flow mappings, single quotes and quoted keys in one call", "[yamledit]") {
  auto r = apply_edits(helm_values,
                       {set("sidecars[0].image.tag", "v1.28.0"), set("sidecars[name=log].image.tag", "it's 2.2"),
                        set("podAnnotations.\"app.kubernetes.io/version\"", "1.5"),
                        set("image.repository", "registry.example.com/shop/api-gateway-v2")},
                       "qa.values.yaml");
  CHECK(r.text == R"(# Helm values for api-gateway (qa)
replicaCount: 2

image:
  repository: registry.example.com/shop/api-gateway-v2
  tag: "1.4.0"   # bumped by CI
  pullPolicy: IfNotPresent

sidecars:
  - name: envoy
    image:
      repository: envoyproxy/envoy
      tag: v1.28.0
  - name: log
    image: {repository: fluent/fluent-bit, tag: 'it''s 2.2'}

podAnnotations:
  "app.kubernetes.io/version": "1.5"  # kept in step with image.tag
)");
  CHECK(only_values_changed(helm_values, r.text,
                            {{"api-gateway", "api-gateway-v2"},
                             {"v1.27.0", "v1.28.0"},
                             {"'2.1'", "'it''s 2.2'"},
                             {"1.4.0", "\"1.5\""}}) == "");
  REQUIRE(r.changes.size() == 4);
  CHECK(r.changes[0].path == "sidecars[0].image.tag");
  CHECK(r.changes[1].path == "sidecars[name=log].image.tag");
  CHECK(r.changes[1].line == 15);
  CHECK(r.changes[2].path == "podAnnotations.\"app.kubernetes.io/version\"");
  CHECK(r.changes[3].old_value == "registry.example.com/shop/api-gateway");
}

TEST_CASE("setting the value it already has changes nothing", "[yamledit]") {
  auto r = apply_edits(helm_values, {set("image.tag", "1.4.0")}, "qa.values.yaml");
  CHECK(r.text == helm_values);
  CHECK(r.changes.empty());
}

TEST_CASE("kustomization images[name=X].newTag / newName / digest", "[yamledit]") {
  const std::string k = R"(apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-qa
resources:
- ../../base
- configmap.yaml
images:
- name: registry.example.com/shop/web
  newTag: 1.0.0
- name: registry.example.com/shop/api
  newName: registry.example.com/shop/api-v2
  newTag: "2.0.0"
  digest: sha256:aaaa
patches:
- path: replicas.yaml
)";
  auto r = apply_edits(k,
                       {set("images[name=registry.example.com/shop/web].newTag", "1.0.1"),
                        set("images[name=registry.example.com/shop/api].newName", "registry.example.com/shop/api-v3"),
                        set("images[name=registry.example.com/shop/api].newTag", "2.1.0"),
                        set("images[name=registry.example.com/shop/api].digest", "sha256:bbbb")},
                       "overlays/qa/kustomization.yaml");
  CHECK(r.text == R"(apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-qa
resources:
- ../../base
- configmap.yaml
images:
- name: registry.example.com/shop/web
  newTag: 1.0.1
- name: registry.example.com/shop/api
  newName: registry.example.com/shop/api-v3
  newTag: "2.1.0"
  digest: sha256:bbbb
patches:
- path: replicas.yaml
)");
  CHECK(only_values_changed(k, r.text,
                            {{"1.0.0", "1.0.1"}, {"api-v2", "api-v3"}, {"\"2.0.0\"", "\"2.1.0\""},
                             {"sha256:aaaa", "sha256:bbbb"}}) == "");
  CHECK(r.changes.size() == 4);
}

TEST_CASE("deep nesting, sequences indented and not indented under their key", "[yamledit]") {
  const std::string d = R"(spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: registry.example.com/shop/api:1.0
      containers:
        - name: app
          image: registry.example.com/shop/api:1.0
          args: [--port, "8080"]
        - name: proxy
          image: envoyproxy/envoy:v1.27.0
)";
  auto r = apply_edits(d,
                       {set("spec.template.spec.containers[name=app].image", "registry.example.com/shop/api:1.1"),
                        set("spec.template.spec.initContainers[0].image", "registry.example.com/shop/api:1.1"),
                        set("spec.template.spec.containers[0].args[1]", "9090")},
                       "deploy.yaml");
  CHECK(r.text == R"(spec:
  template:
    spec:
      initContainers:
      - name: migrate
        image: registry.example.com/shop/api:1.1
      containers:
        - name: app
          image: registry.example.com/shop/api:1.1
          args: [--port, "9090"]
        - name: proxy
          image: envoyproxy/envoy:v1.27.0
)");
  CHECK(only_values_changed(d, r.text, {{":1.0", ":1.1"}, {":1.0", ":1.1"}, {"\"8080\"", "\"9090\""}}) == "");
  CHECK(r.changes[0].line == 9);
  CHECK(r.changes[1].line == 6);
}

TEST_CASE("anchors and aliases: an edit through an alias changes the anchored scalar", "[yamledit]") {
  const std::string a = R"(defaults:
  tag: &tag "1.0"   # shared by api and worker
api:
  tag: *tag
worker:
  tag: *tag
)";
  auto r = apply_edits(a, {set("api.tag", "1.1", true)}, "values.yaml");
  CHECK(r.text == R"(defaults:
  tag: &tag "1.1"   # shared by api and worker
api:
  tag: *tag
worker:
  tag: *tag
)");
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].line == 2);
  CHECK(r.changes[0].path == "api.tag");
  CHECK(r.changes[0].also == std::vector<std::string>{"defaults.tag", "worker.tag"});
  // Without `all` the edit is refused, naming every place it would change, whichever path reaches the anchor.
  CHECK(edit_error(a, {set("api.tag", "1.1")}) ==
        "values.yaml:2:8: api.tag: the value is shared through an anchor; setting it changes every place that uses "
        "it: api.tag, defaults.tag, worker.tag; set all (--all) to change them all");
  CHECK(edit_error(a, {set("defaults.tag", "2")}) ==
        "values.yaml:2:8: defaults.tag: the value is shared through an anchor; setting it changes every place that "
        "uses it: defaults.tag, api.tag, worker.tag; set all (--all) to change them all");
}

TEST_CASE("CRLF line endings, a byte order mark and no final newline stay", "[yamledit]") {
  const std::string t = "\xEF\xBB\xBFimage:\r\n  repository: x\r\n  tag: 1.0.0 # ci\r\nextra: {a: 1}";
  auto r = apply_edits(t, {set("image.tag", "1.0.1"), set("extra.a", "2")}, "values.yaml");
  CHECK(r.text == "\xEF\xBB\xBFimage:\r\n  repository: x\r\n  tag: 1.0.1 # ci\r\nextra: {a: 2}");
  CHECK(r.changes[0].line == 3);
  CHECK(r.changes[1].line == 4);
}

TEST_CASE("an empty value gets the new value after its colon", "[yamledit]") {
  const std::string t = "image:\n  repository: x\n  tag:\n  pullPolicy: Always\nother: ~\n";
  auto r = apply_edits(t, {set("image.tag", "1.0.1"), set("other", "z")}, "values.yaml");
  CHECK(r.text == "image:\n  repository: x\n  tag: 1.0.1\n  pullPolicy: Always\nother: z\n");
  CHECK(r.changes[0].old_value == "");
}

TEST_CASE("an empty value followed by a blank line that starts with a tab is written double-quoted", "[yamledit]") {
  // yaml-cpp refuses `tag: 1.0.1` followed by such a line (tabs read as indentation after a plain scalar), not
  // `tag:` nor `tag: "1.0.1"`; a value elsewhere with tabs only later on stays plain.
  const std::string t = "image:\n  tag:\t\n\t \n  pullPolicy: Always\nname:\nport: '1'\n\t# end\n";
  auto r = apply_edits(t, {set("image.tag", "1.0.1"), set("name", "api")}, "values.yaml");
  CHECK(r.text == "image:\n  tag: \"1.0.1\"\t\n\t \n  pullPolicy: Always\nname: api\nport: '1'\n\t# end\n");
  CHECK(apply_edits(r.text, {set("image.tag", "1.0.1")}, "values.yaml").changes.empty());
}

TEST_CASE("flow mappings, tabs before comments, non-ASCII text and empty flow values", "[yamledit]") {
  const std::string t = "# café ✓ values\nimage: {repository: x, tag: \"1.0\"}  # pinned\nname:\tcafé\t# tab\n"
                        "opts: {a: , b: 1}\n";
  auto r = apply_edits(t, {set("image.tag", "1.1"), set("name", "thé"), set("opts.a", "on")}, "values.yaml");
  CHECK(r.text == "# café ✓ values\nimage: {repository: x, tag: \"1.1\"}  # pinned\nname:\tthé\t# tab\n"
                  "opts: {a: \"on\" , b: 1}\n");
  CHECK(only_values_changed(t, r.text, {{"\"1.0\"", "\"1.1\""}, {"café\t", "thé\t"}, {"a:", "a: \"on\""}}) == "");
}

TEST_CASE("a plain value keeps plain when the new value has the old one's type, else it is quoted", "[yamledit]") {
  const std::string t = "replicas: 2\ntag: 1.0.0\nratio: 0.5\nenabled: true\nname: api\n";
  auto r = apply_edits(t, {set("replicas", "3"), set("tag", "1.5"), set("ratio", "0.75"), set("enabled", "false"),
                           set("name", "0123")},
                       "values.yaml");
  CHECK(r.text == "replicas: 3\ntag: \"1.5\"\nratio: 0.75\nenabled: false\nname: \"0123\"\n");
}
