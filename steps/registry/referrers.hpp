#pragma once
// What is attached to an image travels with it: signatures, SBOMs and attestations refer to the image by digest,
// so a copy that moves only the image leaves them behind. copy_attached() finds them in the source repository and
// copies each to the destination repository:
// - through the referrers API (GET /v2/<name>/referrers/<digest>, OCI distribution 1.1) where the source registry
//   has it: each referrer is copied by digest. When the destination has no referrers API, the copies are also
//   listed in the fallback tag `sha256-<hex>` (an OCI index), as the OCI 1.1 spec asks of clients.
// - else through the tag scheme of registries without it: the OCI 1.1 fallback index `sha256-<hex>` and cosign's
//   `sha256-<hex>.sig`, `.att`, `.sbom` (any `sha256-<hex>.<suffix>`), each copied under the same tag.
// Only what is attached to `digest` itself is looked for, not to the manifests an index lists (cosign signs the
// digest it is given, normally the index's).

#include <string>
#include <vector>

#include "steps/registry/client.hpp"

namespace hoist::registry {

struct AttachedCopy {
  std::vector<std::string> copied;  // "sha256-<hex>.sig", or the digest of a referrer
  bool referrers_api = false;       // found through the referrers API (else the tag scheme)
  TransferStats stats;
};

// The tag `sha256:<hex>` is known by under the tag scheme: "sha256-<hex>".
std::string fallback_tag(const std::string& digest);

// Copies what is attached to `digest` in src's repository to dst's repository (registries and repositories from
// the references; their tags and digests are ignored). Nothing attached: nothing copied.
AttachedCopy copy_attached(RegistryClient& client, const Reference& src, const Reference& dst,
                           const std::string& digest);

}  // namespace hoist::registry
