// The ImageResolver the CLI and the step kinds use (see image_resolver.hpp): the registry client. Credentials come
// from docker's config files and credential helpers (the registry client's default); plain http only for loopback.
// A promotion copy takes what is attached to the digest along (referrers.hpp).

#include <memory>

#include "runner/util/errors.hpp"
#include "steps/gate/image_resolver.hpp"
#include "steps/registry/client.hpp"
#include "steps/registry/referrers.hpp"

namespace hoist::promote {
namespace {

class RegistryResolver : public ImageResolver {
 public:
  std::string digest_of(const std::string& image_ref) override {
    return client_.get_manifest(registry::parse_reference(image_ref)).digest;
  }

  void copy(const std::string& from_ref_by_digest, const std::string& to_repo,
            const std::vector<std::string>& tags) override {
    registry::Reference from = registry::parse_reference(from_ref_by_digest);
    if (from.digest.empty()) throw InputError("copy needs a source by digest, got " + from_ref_by_digest);
    registry::Reference to = registry::parse_reference(to_repo).with_digest(from.digest);
    registry::CopyResult copied = client_.copy_image(from, to);
    registry::copy_attached(client_, from, to, copied.digest);  // signatures, SBOMs, attestations come along
    if (!tags.empty()) client_.tag_image(to.with_digest(copied.digest), tags);
  }

 private:
  registry::RegistryClient client_;
};

}  // namespace

std::unique_ptr<ImageResolver> make_registry_resolver() { return std::make_unique<RegistryResolver>(); }

}  // namespace hoist::promote
