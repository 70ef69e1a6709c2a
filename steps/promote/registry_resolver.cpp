// The ImageResolver the CLI uses (see image_resolver.hpp). The registry client is not part of this build yet; this
// is the one place that changes when it is.

#include "runner/errors.hpp"
#include "steps/promote/image_resolver.hpp"

namespace hoist::promote {
namespace {

class UnavailableResolver : public ImageResolver {
 public:
  std::string digest_of(const std::string& image_ref) override {
    throw Error("registry client not available in this build: cannot resolve " + image_ref +
                " to a digest (record it next to the tag in the values file, e.g. image.digest)");
  }
  void copy(const std::string& from_ref_by_digest, const std::string& to_repo,
            const std::vector<std::string>&) override {
    throw Error("registry client not available in this build: cannot copy " + from_ref_by_digest + " to " + to_repo);
  }
};

}  // namespace

std::unique_ptr<ImageResolver> make_registry_resolver() { return std::make_unique<UnavailableResolver>(); }

}  // namespace hoist::promote
