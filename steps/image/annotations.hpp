#pragma once
// The annotations a built image's manifest carries about where it came from (the OCI pre-defined annotation keys,
// https://github.com/opencontainers/image-spec/blob/main/annotations.md):
//   org.opencontainers.image.created      SOURCE_DATE_EPOCH (else 0) as RFC 3339, so rebuilds stay byte-identical
//   org.opencontainers.image.source       REPO_URL of this build, when known
//   org.opencontainers.image.revision     COMMIT_SHA of this build, when known
//   org.opencontainers.image.base.name    the base as resolved ("registry/repo:tag"), unless scratch
//   org.opencontainers.image.base.digest  the base's image manifest for this platform, unless scratch
// An index gets the same minus base.digest (each platform has its own; they are in the index's manifests).
// Only OCI manifests and indexes carry annotations: Docker schema 2 has no such field.

#include <map>
#include <string>

namespace hoist::image {

struct Provenance {
  long long created = 0;
  std::string source;       // empty: unknown
  std::string revision;     // empty: unknown
  std::string base_name;    // empty: scratch
  std::string base_digest;  // empty: scratch, or an index
};

std::map<std::string, std::string> provenance_annotations(const Provenance& p);

}  // namespace hoist::image
