#pragma once
// Where an app's image sits in one of its environment files, by the app's shape (image_shape.hpp): every place that
// holds its tag, its digest or its whole reference, with what each says. Reading an environment means these places
// agree (one tag, one digest); promoting means writing every one of them, and the digest wherever the file can
// record one — else the environment runs by tag, and the plan says so.
//
//   billing/prod.values.yaml, shape {tag: image.tag, ref: [cronjobs[0].image]}:
//     image:                                      image.tag         4:8    tag 1.0.0
//       tag: "1.0.0"                              image.digest      5:11   digest sha256:aaa… (beside the tag)
//       digest: sha256:aaa…                       cronjobs[0].image 9:12   tag 1.0.0, digest sha256:aaa…
//     cronjobs:
//       - image: registry.example.com/shop/billing:1.0.0@sha256:aaa…

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "steps/gate/image_shape.hpp"
#include "steps/yamledit/yamledit.hpp"

namespace hoist::promote {

struct ImagePlace {
  enum class Kind { tag, digest, ref, kustomize, image, marker };
  Kind kind = Kind::tag;
  std::string path;                    // the key path, the `images:` entry, or "marker NS:POLICY[:FIELD] at PATH"
  int line = 0;
  int column = 0;
  std::optional<std::string> tag;      // what the place says the tag is
  std::optional<std::string> digest;   // ... and the digest
  bool records_digest = false;         // writing this place pins the digest
  std::string target;                  // what an edit names: the key path, the entry's name, the repository, the marker
  std::string repository;              // ref, image, whole marker: the repository as written (kept)
  bool has_tag_key = false;            // kustomize: the entry has newTag (else it is added, as digest and newName)
  bool has_digest_key = false;         // kustomize: the entry has digest
  bool has_name_key = false;           // kustomize: the entry has newName (its value is `repository`)

  // "image.tag (4:8)"
  std::string where() const;
};

struct ImagePlaces {
  std::string file;
  std::vector<ImagePlace> places;      // in the shape's order: tags, digests, refs, kustomize, image, markers
  std::vector<std::string> missing;    // what the shape names that the file lacks: "ref cronjobs[0].image"
  std::vector<std::string> problems;   // values that are no image reference, markers naming several repositories

  // The tag / digest the places say (the first that says one); nullopt when none does.
  std::optional<std::string> tag() const;
  std::optional<std::string> digest() const;
  // Why the file cannot be read or written as the app's: missing places, bad values, places that disagree
  // ("FILE: image.tag (4:8) says tag 1.0.0 but cronjobs[0].image (9:12) says 0.9.0"); "" when it can.
  std::string problem() const;
  // Whether some place can record the digest (else the environment runs by tag).
  bool can_record_digest() const;
  // The edits that make every place say TAG (and DIGEST wherever it can be recorded). With REPOSITORY (the target
  // pulls the image from a copy there), whole references and kustomize entries (newName) name it too; raw `image:`
  // values and Flux markers keep theirs (the shape finds them by it).
  std::vector<yamledit::Edit> edits(const std::string& tag, const std::string& digest,
                                    const std::string& repository = "") const;
};

// Finds SHAPE's places in CONTENT (the text of FILE). Throws InputError "FILE:LINE:COL: ..." when it does not parse.
ImagePlaces find_image_places(std::string_view content, const std::string& file, const ImageShape& shape);

}  // namespace hoist::promote
