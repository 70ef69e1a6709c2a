#pragma once
// Container image references as they appear in `image:` values of raw manifests, and the rules for bumping one:
// `--image REPO:TAG[@DIGEST]` rewrites every `image:` whose repository is REPO.

#include <optional>
#include <string>
#include <string_view>

namespace hoist::yamledit {

struct ImageRef {
  std::string repository;  // everything before the tag: "host:5000/shop/api" (a registry port is part of it)
  std::string tag;         // "" when absent
  std::string digest;      // "sha256:..." without the '@'; "" when absent
};

// "repo", "repo:tag", "repo@digest", "repo:tag@digest". The tag is a ':' after the last '/'. Repositories are
// compared as written (no docker.io/library normalisation). nullopt for an empty repository, tag or digest ("app:",
// "app@" name no image; they would not print back to themselves).
std::optional<ImageRef> parse_image_ref(std::string_view text);
std::string to_string(const ImageRef& ref);

// The new value of an image edit: "TAG", "TAG@DIGEST" or "@DIGEST".
struct ImageUpdate {
  std::string tag;     // "" when not given
  std::string digest;  // "" when not given
};
// Throws InputError on an empty value, an empty digest or a digest without "algorithm:".
ImageUpdate parse_image_update(std::string_view value);

// Applies the update to a reference; the rules:
//   TAG         sets the tag (adds it when the reference had none). A reference pinned by digest is refused
//               (returns nullopt): keeping the old digest would keep running the old image, dropping it would
//               silently unpin. Give TAG@DIGEST instead.
//   TAG@DIGEST  sets the tag and the digest (adds the digest to a tag-only reference: the user asked to pin it).
//   @DIGEST     sets (or adds) the digest; the tag, if any, stays.
std::optional<ImageRef> apply_image_update(const ImageRef& ref, const ImageUpdate& update);

}  // namespace hoist::yamledit
