// hoist.yaml's image places: `image_at` defaults, `apps:` overrides by name or glob (file and image places), and
// every mistake in them reported at its hoist.yaml:line:col.
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/gate/policy.hpp"

using namespace hoist;
using namespace hoist::promote;

namespace {

const char* kMixed = R"(environments:
  qa: {branch: qa, file: "{app}/qa.values.yaml"}
  staging: {branch: staging, file: "{app}/staging.values.yaml", after: qa}
  prod: {branch: master, file: "{app}/prod.values.yaml", after: staging}
image: "registry.example.com/shop/{app}"
image_at: {tag: image.tag}
apps:
  billing:
    image_at:
      tag: image.tag
      ref: ["cronjobs[0].image", "sidecars[name=audit].image"]
  web:
    file: "web/overlays/{env}/kustomization.yaml"
    image_at: {kustomize: "registry.example.com/shop/{app}"}
  "batch-*":
    file: {prod: "batch/{app}/production.yaml"}
    image_at: {image: "registry.example.com/batch/{app}", marker: "flux-system:{app}"}
  batch-special:
    image_at: {tag: values.image.tag, digest: values.image.sha}
)";

}  // namespace

TEST_CASE("image_at defaults apply to every app without a rule", "[policy][shape]") {
  Policy p = load_policy(kMixed, "hoist.yaml");
  ImageShape s = p.shape_for("api-gateway");
  CHECK(s.tags == std::vector<std::string>{"image.tag"});
  CHECK(s.refs.empty());
  CHECK(p.file_for("prod", "api-gateway") == "api-gateway/prod.values.yaml");
}

TEST_CASE("an app's rule replaces the default image places and its file, with {app} and {env} filled in",
          "[policy][shape]") {
  Policy p = load_policy(kMixed, "hoist.yaml");
  CHECK(p.shape_for("billing").refs == std::vector<std::string>{"cronjobs[0].image", "sidecars[name=audit].image"});
  CHECK(p.shape_for("billing").describe() ==
        "tag image.tag, ref cronjobs[0].image, ref sidecars[name=audit].image");
  CHECK(p.file_for("qa", "billing") == "billing/qa.values.yaml");
  CHECK(p.shape_for("web").kustomize == std::vector<std::string>{"registry.example.com/shop/web"});
  CHECK(p.shape_for("web").tags.empty());
  CHECK(p.file_for("staging", "web") == "web/overlays/staging/kustomization.yaml");
}

TEST_CASE("a glob rule matches apps by name, an exact name wins over it, a per-environment file keeps the others",
          "[policy][shape]") {
  Policy p = load_policy(kMixed, "hoist.yaml");
  ImageShape nightly = p.shape_for("batch-nightly");
  CHECK(nightly.images == std::vector<std::string>{"registry.example.com/batch/batch-nightly"});
  CHECK(nightly.markers == std::vector<std::string>{"flux-system:batch-nightly"});
  CHECK(p.file_for("prod", "batch-nightly") == "batch/batch-nightly/production.yaml");
  CHECK(p.file_for("qa", "batch-nightly") == "batch-nightly/qa.values.yaml");
  CHECK(p.shape_for("batch-special").digests == std::vector<std::string>{"values.image.sha"});
  CHECK(p.file_for("prod", "batch-special") == "batch-special/prod.values.yaml");  // its rule has no file
}

TEST_CASE("image_key is the short form of image_at: {tag: KEY}", "[policy][shape]") {
  Policy p = load_policy("environments:\n  qa: {branch: qa, file: f}\nimage_key: \"images[name=web].newTag\"\n",
                         "hoist.yaml");
  CHECK(p.shape_for("web").tags == std::vector<std::string>{"images[name=web].newTag"});
}

