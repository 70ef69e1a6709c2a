// Raw Kubernetes manifests: `image:` values by repository in every document, Flux setter markers, and key paths in
// multi-document files.

#include <catch2/catch.hpp>

#include "steps/yamledit/image_ref.hpp"
#include "steps/yamledit/yamledit.hpp"
#include "tests/support/line_diff.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using namespace hoist::test;
using namespace hoist::yamledit;

namespace {

const std::string deploy_and_cronjob = R"(---
# the API
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/shop/api:1.0.0   # same image, migrate mode
      containers:
        - name: api
          image: "registry.example.com/shop/api:1.0.0"
        - name: metrics
          image: registry.example.com/shop/api-metrics:1.0.0
        - name: proxy
          image: envoyproxy/envoy:v1.27.0
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: api-cleanup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: cleanup
            image: registry.example.com/shop/api@sha256:1111
            args: ["cleanup"]
          - {name: report, image: 'registry.example.com/shop/api:1.0.0@sha256:1111'}
...
)";

}  // namespace

TEST_CASE("image references parse with ports, tags and digests", "[yamledit]") {
  auto r = parse_image_ref("localhost:5000/shop/api:1.2@sha256:abc");
  REQUIRE(r);
  CHECK(r->repository == "localhost:5000/shop/api");
  CHECK(r->tag == "1.2");
  CHECK(r->digest == "sha256:abc");
  auto p = parse_image_ref("localhost:5000/shop/api");
  REQUIRE(p);
  CHECK(p->repository == "localhost:5000/shop/api");
  CHECK(p->tag == "");
  CHECK(to_string(*parse_image_ref("nginx@sha256:1")) == "nginx@sha256:1");
  CHECK_FALSE(parse_image_ref(":1.0"));
  for (const char* empty : {"app:", "app@", "a:b:", "host:5000/app:@sha256:1"}) CHECK_FALSE(parse_image_ref(empty));
}

TEST_CASE("image bump rules: tag, tag@digest, @digest", "[yamledit]") {
  auto ref = [](const char* s) { return *parse_image_ref(s); };
  auto upd = [](const char* s) { return parse_image_update(s); };
  CHECK(to_string(*apply_image_update(ref("r:1"), upd("2"))) == "r:2");
  CHECK(to_string(*apply_image_update(ref("r"), upd("2"))) == "r:2");
  CHECK_FALSE(apply_image_update(ref("r:1@sha256:a"), upd("2")));  // pinned: a tag alone would keep the old digest
  CHECK(to_string(*apply_image_update(ref("r:1@sha256:a"), upd("2@sha256:b"))) == "r:2@sha256:b");
  CHECK(to_string(*apply_image_update(ref("r:1"), upd("2@sha256:b"))) == "r:2@sha256:b");  // the digest is added
  CHECK(to_string(*apply_image_update(ref("r"), upd("2@sha256:b"))) == "r:2@sha256:b");
  CHECK(to_string(*apply_image_update(ref("r@sha256:a"), upd("2@sha256:b"))) == "r:2@sha256:b");
  CHECK(to_string(*apply_image_update(ref("r:1"), upd("@sha256:b"))) == "r:1@sha256:b");
  CHECK(to_string(*apply_image_update(ref("r@sha256:a"), upd("@sha256:b"))) == "r@sha256:b");
  CHECK_THROWS_AS(parse_image_update("2@"), InputError);
  CHECK_THROWS_AS(parse_image_update(""), InputError);
  CHECK_THROWS_AS(parse_image_update("a/b:2"), InputError);
}

TEST_CASE("Deployment + CronJob: every image: of the repository, in every document", "[yamledit]") {
  auto r = apply_edits(deploy_and_cronjob, {image("registry.example.com/shop/api", "1.1.0@sha256:2222")},
                       "api.yaml");
  CHECK(r.text == R"(---
# the API
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/shop/api:1.1.0@sha256:2222   # same image, migrate mode
      containers:
        - name: api
          image: "registry.example.com/shop/api:1.1.0@sha256:2222"
        - name: metrics
          image: registry.example.com/shop/api-metrics:1.0.0
        - name: proxy
          image: envoyproxy/envoy:v1.27.0
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: api-cleanup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: cleanup
            image: registry.example.com/shop/api:1.1.0@sha256:2222
            args: ["cleanup"]
          - {name: report, image: 'registry.example.com/shop/api:1.1.0@sha256:2222'}
...
)");
  CHECK(only_values_changed(deploy_and_cronjob, r.text,
                            {{"api:1.0.0", "api:1.1.0@sha256:2222"},
                             {"api:1.0.0\"", "api:1.1.0@sha256:2222\""},
                             {"api@sha256:1111", "api:1.1.0@sha256:2222"},
                             {"'registry.example.com/shop/api:1.0.0@sha256:1111'",
                              "'registry.example.com/shop/api:1.1.0@sha256:2222'"}}) == "");
  REQUIRE(r.changes.size() == 4);
  CHECK(r.changes[0].path == "spec.template.spec.initContainers[0].image");
  CHECK(r.changes[0].line == 12);
  CHECK(r.changes[2].path == "spec.jobTemplate.spec.template.spec.containers[0].image");
  CHECK(r.changes[2].old_value == "registry.example.com/shop/api@sha256:1111");
  CHECK(r.changes[3].line == 35);
}

TEST_CASE("image edits: digest-pinned references need a digest, unknown repositories are an error", "[yamledit]") {
  CHECK(edit_error(deploy_and_cronjob, {image("registry.example.com/shop/api", "1.1.0")}, "api.yaml") ==
        "api.yaml:33:20: spec.jobTemplate.spec.template.spec.containers[0].image: "
        "registry.example.com/shop/api@sha256:1111 is pinned by digest; give the new digest too (1.1.0@sha256:...)");
  CHECK(edit_error(deploy_and_cronjob, {image("registry.example.com/shop/web", "1.1.0")}, "api.yaml") ==
        "api.yaml: no image: value with repository registry.example.com/shop/web");
  CHECK(edit_error(deploy_and_cronjob, {image("registry.example.com/shop/api", "1.1.0@")}, "api.yaml") ==
        "api.yaml: bad image value '1.1.0@': expected TAG, TAG@sha256:... or @sha256:...");
  // A registry port is part of the repository.
  const std::string ported = "containers:\n- image: localhost:5000/api:1 # local\n- image: localhost/api:1\n";
  auto r = apply_edits(ported, {image("localhost:5000/api", "2")}, "p.yaml");
  CHECK(r.text == "containers:\n- image: localhost:5000/api:2 # local\n- image: localhost/api:1\n");
}

TEST_CASE("multi-document key paths: one match across documents is fine, several need all", "[yamledit]") {
  const std::string t = "kind: A\nimage:\n  tag: 1.0.0\n---\nkind: B\n---\nkind: C\nimage:\n  tag: '1.0.0'\n";
  CHECK(edit_error(t, {set("image.tag", "1.1.0")}, "m.yaml") ==
        "m.yaml: image.tag: matches 2 places (lines 3, 9); set all to change every one");
  auto r = apply_edits(t, {set("image.tag", "1.1.0", true)}, "m.yaml");
  CHECK(r.text == "kind: A\nimage:\n  tag: 1.1.0\n---\nkind: B\n---\nkind: C\nimage:\n  tag: '1.1.0'\n");
  CHECK(only_values_changed(t, r.text, {{"1.0.0", "1.1.0"}, {"'1.0.0'", "'1.1.0'"}}) == "");
  auto one = apply_edits(t, {set("kind", "Z", true)}, "m.yaml");
  CHECK(one.changes.size() == 3);
  const std::string single = "kind: A\n---\nkind: B\nimage: {tag: 1.0.0}\n";
  CHECK(apply_edits(single, {set("image.tag", "1.1.0")}, "m.yaml").text ==
        "kind: A\n---\nkind: B\nimage: {tag: 1.1.0}\n");
}

TEST_CASE("Flux markers set the whole reference or its tag, name or digest", "[yamledit]") {
  const std::string t = R"(spec:
  containers:
  - name: podinfo
    image: ghcr.io/stefanprodan/podinfo:5.0.0 # {"$imagepolicy": "flux-system:podinfo"}
values:
  image:
    repository: ghcr.io/stefanprodan/podinfo # {"$imagepolicy": "flux-system:podinfo:name"}
    tag: "5.0.0"  #  {"$imagepolicy":"flux-system:podinfo:tag"}
    digest: sha256:aa # {"$imagepolicy": "flux-system:podinfo:digest"}
    other: 5.0.0 # {"$imagepolicy": "flux-system:other:tag"}
)";
  auto r = apply_edits(t,
                       {marker("flux-system:podinfo", "ghcr.io/stefanprodan/podinfo:5.0.1"),
                        marker("flux-system:podinfo:tag", "5.0.1"),
                        marker("flux-system:podinfo:name", "ghcr.io/stefanprodan/podinfo2"),
                        marker("flux-system:podinfo:digest", "sha256:bb")},
                       "podinfo.yaml");
  CHECK(r.text == R"(spec:
  containers:
  - name: podinfo
    image: ghcr.io/stefanprodan/podinfo:5.0.1 # {"$imagepolicy": "flux-system:podinfo"}
values:
  image:
    repository: ghcr.io/stefanprodan/podinfo2 # {"$imagepolicy": "flux-system:podinfo:name"}
    tag: "5.0.1"  #  {"$imagepolicy":"flux-system:podinfo:tag"}
    digest: sha256:bb # {"$imagepolicy": "flux-system:podinfo:digest"}
    other: 5.0.0 # {"$imagepolicy": "flux-system:other:tag"}
)");
  CHECK(only_values_changed(t, r.text,
                            {{":5.0.0", ":5.0.1"}, {"podinfo ", "podinfo2 "}, {"\"5.0.0\"", "\"5.0.1\""},
                             {"sha256:aa", "sha256:bb"}}) == "");
  CHECK(r.changes[1].path == "values.image.tag");
  CHECK(edit_error(t, {marker("flux-system:nope", "x")}, "podinfo.yaml") ==
        "podinfo.yaml: no value marked {\"$imagepolicy\": \"flux-system:nope\"}");
  CHECK(edit_error(t, {marker("flux-system", "x")}, "podinfo.yaml") ==
        "podinfo.yaml: bad marker 'flux-system': expected NS:POLICY or NS:POLICY:tag|name|digest");
}

TEST_CASE("Flux markers: a 1 MB marker comment or target is read or refused, no crash", "[yamledit]") {
  const std::string big(1 << 20, 'p');
  const std::string t = "image: a:1 # {\"$imagepolicy\": \"ns:" + big + "\"}\nother: b:1 # {\"$imagepolicy\": " + big + "\n";
  CHECK(apply_edits(t, {marker("ns:" + big, "a:2")}, "m.yaml").text ==
        "image: a:2 # {\"$imagepolicy\": \"ns:" + big + "\"}\nother: b:1 # {\"$imagepolicy\": " + big + "\n");
  CHECK(edit_error(t, {marker("ns:other", "a:2")}, "m.yaml") ==
        "m.yaml: no value marked {\"$imagepolicy\": \"ns:other\"}");
  const std::string spaced = "ns:" + std::string(1 << 20, ' ');
  CHECK_THAT(edit_error(t, {marker(spaced, "a:2")}, "m.yaml"), Catch::StartsWith("m.yaml: bad marker 'ns:   "));
  CHECK_THAT(edit_error(t, {marker(std::string(1 << 20, ':'), "a:2")}, "m.yaml"), Catch::Contains("bad marker"));
}
