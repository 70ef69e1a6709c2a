#pragma once
// The registry side of a promotion, behind the smallest interface it needs: what digest a tag names now, and
// copying an image by digest into another repository (or registry) under a tag. The real implementation is the
// registry client; tests use a recording fake. Where an environment's values file records the digest next to the
// tag (`image.digest`), promotion reads it from there and never asks.

#include <memory>
#include <string>
#include <vector>

namespace hoist::promote {

class ImageResolver {
 public:
  virtual ~ImageResolver() = default;
  // "registry.example.com/shop/api:1.4.2" -> "sha256:<64 hex>". Throws hoist::Error when it cannot.
  virtual std::string digest_of(const std::string& image_ref) = 0;
  // Copies "registry.example.com/shop/api@sha256:..." into TO_REPO ("prod-registry.example.com/shop/api") and tags
  // it with each of TAGS (zero re-upload inside one registry). Throws hoist::Error when it cannot.
  virtual void copy(const std::string& from_ref_by_digest, const std::string& to_repo,
                    const std::vector<std::string>& tags) = 0;
};

// What the CLI and the step kinds use: the registry client (steps/registry).
std::unique_ptr<ImageResolver> make_registry_resolver();

}  // namespace hoist::promote
