// An app's image places in one file: what each says, whether they agree, and the edits that move every one (with
// the digest wherever the file can record one).
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/gate/image_places.hpp"
#include "steps/yamledit/yamledit.hpp"

using namespace hoist;
using namespace hoist::promote;

namespace {

const std::string kOld = "sha256:" + std::string(64, 'a');
const std::string kNew = "sha256:" + std::string(64, 'b');

ImageShape helm_with_cronjob() {
  ImageShape s;
  s.tags = {"image.tag"};
  s.refs = {"cronjobs[0].image"};
  return s;
}

std::string billing(const std::string& cron_tag, bool digest) {
  return "image:\n  repository: reg/billing\n  tag: \"1.0.0\"\n" + (digest ? "  digest: " + kOld + "\n" : "") +
         "cronjobs:\n  - name: nightly\n    image: reg/billing:" + cron_tag + "\n";
}

std::string listed(const ImagePlaces& p) {
  std::string out;
  for (const auto& place : p.places)
    out += place.where() + " tag " + place.tag.value_or("-") + " digest " +
           (place.digest ? place.digest->substr(0, 8) : "-") + (place.records_digest ? " (records)" : "") + "\n";
  return out;
}

// The file after moving every place of SHAPE to TAG@kNew.
std::string moved(const std::string& text, const ImageShape& shape, const std::string& tag = "1.1.0") {
  ImagePlaces p = find_image_places(text, "f.yaml", shape);
  REQUIRE(p.problem() == "");
  return yamledit::apply_edits(text, p.edits(tag, kNew), "f.yaml").text;
}

}  // namespace

TEST_CASE("a Helm values file: the tag key, the digest beside it and a CronJob's whole reference", "[gate][places]") {
  ImagePlaces p = find_image_places(billing("1.0.0", true), "f.yaml", helm_with_cronjob());
  CHECK(listed(p) == "image.tag (3:8) tag 1.0.0 digest -\n"
                     "image.digest (4:11) tag - digest sha256:a (records)\n"
                     "cronjobs[0].image (7:12) tag 1.0.0 digest - (records)\n");
  CHECK(p.problem() == "");
  CHECK(p.tag() == "1.0.0");
  CHECK(p.digest() == kOld);
  CHECK(moved(billing("1.0.0", true), helm_with_cronjob()) ==
        "image:\n  repository: reg/billing\n  tag: \"1.1.0\"\n  digest: " + kNew +
            "\ncronjobs:\n  - name: nightly\n    image: reg/billing:1.1.0@" + kNew + "\n");
}

TEST_CASE("places that disagree, and places the shape names that the file lacks, are problems", "[gate][places]") {
  CHECK(find_image_places(billing("0.9.0", true), "f.yaml", helm_with_cronjob()).problem() ==
        "f.yaml: image.tag (3:8) says tag 1.0.0 but cronjobs[0].image (7:12) says 0.9.0");
  ImageShape s = helm_with_cronjob();
  s.refs.push_back("sidecars[0].image");
  CHECK(find_image_places(billing("1.0.0", true), "f.yaml", s).problem() ==
        "f.yaml: no ref sidecars[0].image (the app's image_at in hoist.yaml names it)");
  CHECK(find_image_places("image:\n  tag: latest\ncronjobs: [{image: \"\"}]\n", "f.yaml", helm_with_cronjob())
            .problem() == "f.yaml: cronjobs[0].image (3:20): '' is not an image reference");
}

TEST_CASE("a file with only a tag key cannot record a digest: it runs by tag", "[gate][places]") {
  ImageShape s;
  s.tags = {"image.tag"};
  ImagePlaces p = find_image_places("image:\n  tag: \"1.0.0\"\n", "f.yaml", s);
  CHECK_FALSE(p.can_record_digest());
  CHECK(moved("image:\n  tag: \"1.0.0\"\n", s) == "image:\n  tag: \"1.1.0\"\n");
}

TEST_CASE("a kustomize images entry: newTag, and a digest added to a block entry", "[gate][places]") {
  ImageShape s;
  s.kustomize = {"reg/web"};
  const std::string block = "resources: [../../base]\nimages:\n  - name: reg/web\n    newTag: \"1.0.0\"\n";
  ImagePlaces p = find_image_places(block, "k.yaml", s);
  CHECK(listed(p) == "images[name=reg/web] (3:5) tag 1.0.0 digest - (records)\n");
  CHECK(moved(block, s) == block.substr(0, block.size() - 7) + "1.1.0\"\n    digest: " + kNew + "\n");
  // A flow entry gets the digest as its last entry, every other byte kept; in a flow sequence too.
  const std::string flow = "images:\n  - {name: reg/web, newTag: \"1.0.0\"}  # web\n";
  CHECK(find_image_places(flow, "k.yaml", s).can_record_digest());
  CHECK(moved(flow, s) == "images:\n  - {name: reg/web, newTag: \"1.1.0\", digest: \"" + kNew + "\"}  # web\n");
  const std::string inline_list = "images: [{name: reg/web, newTag: '1.0.0'}, {name: reg/side, newTag: x}]\n";
  CHECK(moved(inline_list, s) == "images: [{name: reg/web, newTag: '1.1.0', digest: \"" + kNew +
                                     "\"}, {name: reg/side, newTag: x}]\n");
  const std::string no_tag = "images:\n  - {name: reg/web}\n";
  CHECK(moved(no_tag, s) == "images:\n  - {name: reg/web, newTag: 1.1.0, digest: \"" + kNew + "\"}\n");
  const std::string flow_pinned = "images:\n  - {name: reg/web, newTag: \"1.0.0\", digest: " + kOld + "}\n";
  CHECK(moved(flow_pinned, s) == "images:\n  - {name: reg/web, newTag: \"1.1.0\", digest: \"" + kNew + "\"}\n");
}

TEST_CASE("raw manifests: every image: of the repository, in every document, pinned", "[gate][places]") {
  ImageShape s;
  s.images = {"reg/web"};
  const std::string text = "kind: Deployment\nspec:\n  containers:\n    - image: reg/web:1.0.0\n    - image: reg/side:2\n"
                           "---\nkind: CronJob\nspec:\n  image: reg/web:1.0.0\n";
  CHECK(moved(text, s) == "kind: Deployment\nspec:\n  containers:\n    - image: reg/web:1.1.0@" + kNew +
                              "\n    - image: reg/side:2\n---\nkind: CronJob\nspec:\n  image: reg/web:1.1.0@" + kNew +
                              "\n");
}

TEST_CASE("Flux markers: the tag part, the digest part and whole references of the policy", "[gate][places]") {
  ImageShape s;
  s.markers = {"flux-system:web"};
  const std::string text = "image:\n  repository: reg/web # {\"$imagepolicy\": \"flux-system:web:name\"}\n"
                           "  tag: 1.0.0 # {\"$imagepolicy\": \"flux-system:web:tag\"}\n"
                           "job: reg/web:1.0.0 # {\"$imagepolicy\": \"flux-system:web\"}\n";
  ImagePlaces p = find_image_places(text, "f.yaml", s);
  CHECK(listed(p) == "marker flux-system:web:tag at image.tag (3:8) tag 1.0.0 digest -\n"
                     "marker flux-system:web at job (4:6) tag 1.0.0 digest - (records)\n");
  CHECK(moved(text, s) == "image:\n  repository: reg/web # {\"$imagepolicy\": \"flux-system:web:name\"}\n"
                          "  tag: 1.1.0 # {\"$imagepolicy\": \"flux-system:web:tag\"}\n"
                          "job: reg/web:1.1.0@" + kNew + " # {\"$imagepolicy\": \"flux-system:web\"}\n");
}

TEST_CASE("copied for the target: kustomize newName and whole references name the copy, raw image: values keep theirs",
          "[gate][places]") {
  ImageShape s;
  s.kustomize = {"reg/web"};
  const std::string block = "images:\n  - name: reg/web\n    newName: reg/web\n    newTag: \"1.0.0\"\n";
  ImagePlaces p = find_image_places(block, "k.yaml", s);
  CHECK(yamledit::apply_edits(block, p.edits("1.1.0", kNew, "prod/web"), "k.yaml").text ==
        "images:\n  - name: reg/web\n    newName: prod/web\n    newTag: \"1.1.0\"\n    digest: " + kNew + "\n");
  const std::string flow = "images: [{name: reg/web, newTag: \"1.0.0\"}]\n";
  ImagePlaces f = find_image_places(flow, "k.yaml", s);
  CHECK(yamledit::apply_edits(flow, f.edits("1.1.0", kNew, "prod/web"), "k.yaml").text ==
        "images: [{name: reg/web, newTag: \"1.1.0\", digest: \"" + kNew + "\", newName: prod/web}]\n");
  CHECK(moved(billing("1.0.0", true), helm_with_cronjob()).find("reg/billing:1.1.0@") != std::string::npos);
  ImagePlaces b = find_image_places(billing("1.0.0", true), "f.yaml", helm_with_cronjob());
  CHECK_THAT(yamledit::apply_edits(billing("1.0.0", true), b.edits("1.1.0", kNew, "prod/billing"), "f.yaml").text,
             Catch::EndsWith("    image: prod/billing:1.1.0@" + kNew + "\n"));
}
