// See annotations.hpp.
#include "steps/image/annotations.hpp"

#include "steps/image/image_config.hpp"

namespace hoist::image {

std::map<std::string, std::string> provenance_annotations(const Provenance& p) {
  std::map<std::string, std::string> out{{"org.opencontainers.image.created", rfc3339(p.created)}};
  if (!p.source.empty()) out[std::string(kSourceKey)] = p.source;
  if (!p.revision.empty()) out[std::string(kRevisionKey)] = p.revision;
  if (!p.base_name.empty()) out["org.opencontainers.image.base.name"] = p.base_name;
  if (!p.base_digest.empty()) out["org.opencontainers.image.base.digest"] = p.base_digest;
  return out;
}

}  // namespace hoist::image
