// find_values and friends: the places an edit would change, found without changing them.
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/yamledit/find_values.hpp"

using namespace hoist;
using namespace hoist::yamledit;

namespace {

std::string places(const std::vector<FoundValue>& found) {
  std::string out;
  for (const auto& f : found)
    out += f.path + " " + std::to_string(f.line) + ":" + std::to_string(f.column) + " '" + f.value + "'" +
           (f.scalar ? "" : " (collection)") + (f.flow ? " (flow)" : "") + (f.marker.empty() ? "" : " " + f.marker) +
           "\n";
  return out;
}

}  // namespace

TEST_CASE("find_values lists every match of a key path with its place", "[yamledit][find]") {
  const char* text = "image:\n  tag: \"1.0\"\ncronjobs:\n  - name: a\n    image: r/a:1.0\n  - {name: b, image: r/a:1.0}\n";
  CHECK(places(find_values(text, "v.yaml", "image.tag")) == "image.tag 2:8 '1.0'\n");
  CHECK(places(find_values(text, "v.yaml", "cronjobs[name=b].image")) == "cronjobs[name=b].image 6:22 'r/a:1.0' (flow)\n");
  CHECK(places(find_values(text, "v.yaml", "cronjobs[1]")) == "cronjobs[1] 6:5 '' (collection) (flow)\n");
  CHECK(find_values(text, "v.yaml", "image.digest").empty());
  CHECK_THROWS_WITH(find_values("a: [", "v.yaml", "a"), Catch::StartsWith("v.yaml:"));
  CHECK_THROWS_AS(find_values(text, "v.yaml", "image..tag"), InputError);
}

TEST_CASE("an anchored value reached twice through aliases is one place", "[yamledit][find]") {
  CHECK(places(find_values("items:\n  - &t {name: x, tag: \"1\"}\n  - *t\n", "v.yaml", "items[name=x].tag")) ==
        "items[name=x].tag 2:23 '1' (flow)\n");
}

TEST_CASE("find_image_values finds every image: of a repository in every document", "[yamledit][find]") {
  const char* text =
      "kind: Deployment\nspec:\n  containers:\n    - image: reg/web:1.0\n    - image: reg/other:1.0\n---\n"
      "kind: CronJob\nspec: {image: \"reg/web:1.0@sha256:abc\"}\n";
  CHECK(places(find_image_values(text, "m.yaml", "reg/web")) ==
        "spec.containers[0].image 4:14 'reg/web:1.0'\n"
        "spec.image 8:15 'reg/web:1.0@sha256:abc' (flow)\n");
}

TEST_CASE("find_marked_values finds the values a Flux policy marks, whole or by part", "[yamledit][find]") {
  const char* text = "image: reg/web:1.0 # {\"$imagepolicy\": \"flux-system:web\"}\n"
                     "tag: \"1.0\" # {\"$imagepolicy\": \"flux-system:web:tag\"}\n"
                     "other: x # {\"$imagepolicy\": \"flux-system:webapp:tag\"}\n";
  CHECK(places(find_marked_values(text, "m.yaml", "flux-system:web")) ==
        "image 1:8 'reg/web:1.0' flux-system:web\n"
        "tag 2:6 '1.0' flux-system:web:tag\n");
}
