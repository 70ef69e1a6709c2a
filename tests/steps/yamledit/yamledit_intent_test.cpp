// Edits that do exactly what they say (issue 13): each case is one that once said one thing and did another. The
// whole output is asserted, or the whole message of the refusal.

#include <catch2/catch.hpp>

#include "steps/yamledit/yamledit.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using namespace hoist::test;
using hoist::yamledit::apply_edits;

TEST_CASE("an image edit with a digest pins an image that had only a tag", "[yamledit]") {
  const std::string t = "containers:\n- name: api\n  image: registry.example.com/shop/api:1.0  # app\n";
  auto r = apply_edits(t, {image("registry.example.com/shop/api", "1.1@sha256:beef")}, "deploy.yaml");
  CHECK(r.text == "containers:\n- name: api\n  image: registry.example.com/shop/api:1.1@sha256:beef  # app\n");
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].new_value == "registry.example.com/shop/api:1.1@sha256:beef");
  // An image with no tag at all gets both.
  CHECK(apply_edits("image: shop/api\n", {image("shop/api", "2@sha256:cafe")}, "p.yaml").text ==
        "image: shop/api:2@sha256:cafe\n");
}

TEST_CASE("a Helm-style image: REPO string beside a tag: key gets its tag (and digest) in the sibling keys",
          "[yamledit]") {
  const std::string t = "image: registry.example.com/shop/api\ntag: \"1.0\"\npullPolicy: IfNotPresent\n";
  auto r = apply_edits(t, {image("registry.example.com/shop/api", "1.1")}, "values.yaml");
  CHECK(r.text == "image: registry.example.com/shop/api\ntag: \"1.1\"\npullPolicy: IfNotPresent\n");
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].path == "tag");
  CHECK(r.changes[0].old_value == "1.0");

  const std::string nested = "api:\n  image: shop/api\n  tag: 1.0.0\n  digest: sha256:aaaa\n";
  CHECK(apply_edits(nested, {image("shop/api", "1.0.1@sha256:bbbb")}, "values.yaml").text ==
        "api:\n  image: shop/api\n  tag: 1.0.1\n  digest: sha256:bbbb\n");
  // A digest with nowhere to go is refused rather than dropped.
  CHECK(edit_error("api:\n  image: shop/api\n  tag: 1.0.0\n", {image("shop/api", "1.0.1@sha256:bbbb")}) ==
        "values.yaml:2:10: api.image: shop/api takes its tag from api.tag and has no digest: key beside it, so the "
        "digest of shop/api:1.0.1@sha256:bbbb cannot be pinned here; give shop/api:1.0.1 without the digest, or add "
        "a digest: key");
  // An image: with a tag of its own is still edited in place, whatever its siblings.
  CHECK(apply_edits("image: shop/api:1\ntag: x\n", {image("shop/api", "2")}, "v.yaml").text ==
        "image: shop/api:2\ntag: x\n");
}

TEST_CASE("a value set through an alias is refused unless all is given, and then names every place", "[yamledit]") {
  const std::string t = "metadata:\n  name: &app billing\nspec:\n  chart: *app\n  releaseName: *app\n";
  CHECK(edit_error(t, {set("spec.chart", "billing-v2")}) ==
        "values.yaml:2:9: spec.chart: the value is shared through an anchor; setting it changes every place that "
        "uses it: spec.chart, metadata.name, spec.releaseName; set all (--all) to change them all");
  auto r = apply_edits(t, {set("spec.chart", "billing-v2", true)}, "values.yaml");
  CHECK(r.text == "metadata:\n  name: &app billing-v2\nspec:\n  chart: *app\n  releaseName: *app\n");
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].also == std::vector<std::string>{"metadata.name", "spec.releaseName"});
  // A value that nothing else uses needs no `all`.
  CHECK(apply_edits("a: &x 1\nb: 2\n", {set("b", "3")}, "v.yaml").text == "a: &x 1\nb: 3\n");
}

TEST_CASE("a value needing quotes inside a flow mapping is written quoted", "[yamledit]") {
  auto r = apply_edits("image: {repository: shop/api, tag: v1}\n", {set("image.tag", "?x")}, "values.yaml");
  CHECK(r.text == "image: {repository: shop/api, tag: \"?x\"}\n");
  CHECK(apply_edits("image: {tag: v1}\n", {set("image.tag", "a,b")}, "values.yaml").text ==
        "image: {tag: \"a,b\"}\n");
}
