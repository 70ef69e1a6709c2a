// See copy_step.hpp.
#include "steps/image/copy_step.hpp"

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/errors.hpp"
#include "steps/image/registry_access.hpp"
#include "steps/image/registry_step.hpp"
#include "steps/registry/referrers.hpp"

namespace hoist::image {
namespace {

struct CopySpec {
  std::string from, to;
  RegistryAccess access;
};

CopySpec read_copy_spec(const YAML::Node& with, const Location& at, const std::string& file, Diagnostics& diags) {
  CopySpec s;
  if (!check_registry_step_with(with, at, "image/copy", {"from", "to"}, file, diags)) return s;
  if (with["from"]) s.from = read_string(with["from"], "from", file, diags).value_or("");
  if (with["to"]) s.to = read_string(with["to"], "to", file, diags).value_or("");
  s.access = read_registry_access(with, file, diags);
  return s;
}

class ImageCopyStep : public RegistryStepKind<CopySpec> {
 public:
  ImageCopyStep() : RegistryStepKind("image/copy", read_copy_spec, {"from", "to"}) {}

 private:
  PlacedImage run(StepContext& ctx, const CopySpec& s, bool plan) const override {
    registry::Reference from = registry::parse_reference(s.from);
    registry::Reference to = registry::parse_reference(s.to);
    if (!has_explicit_tag(s.to) && to.digest.empty()) {
      to.tag = from.tag;  // empty when `from` names only a digest: the copy is put by digest
    }
    if (!to.digest.empty() && !from.digest.empty() && to.digest != from.digest)
      throw InputError("step '" + ctx.step.id + "': 'to' names digest " + to.digest + " but 'from' is " + from.digest);
    std::vector<std::string> credentialed{to.registry};
    registry::RegistryClient client(step_client_options(s.access, credentialed, {from.registry, to.registry}, ctx));
    std::string digest;
    if (plan) {
      digest = client.get_manifest(from).digest;
      ctx.print("would copy " + from.str() + " (" + digest + ") to " + to.str(), OutputStream::out);
    } else {
      registry::CopyResult r = client.copy_image(from, to);
      digest = r.digest;
      registry::AttachedCopy attached = registry::copy_attached(client, from, to, digest);
      r.stats += attached.stats;
      ctx.print("copied " + from.str() + " to " + to.str() + " (" + digest + ")", OutputStream::out);
      for (const auto& a : attached.copied)
        ctx.print("copied attached " + a + (attached.referrers_api ? " (referrers API)" : " (tag scheme)"),
                  OutputStream::out);
      ctx.print("summary: uploaded " + std::to_string(r.stats.blobs_uploaded) + " blobs (" +
                    std::to_string(r.stats.bytes_uploaded) + " bytes), mounted " +
                    std::to_string(r.stats.blobs_mounted) + ", skipped " + std::to_string(r.stats.blobs_skipped) +
                    ", manifests " + std::to_string(r.stats.manifests_put),
                OutputStream::out);
    }
    return {to.name(), digest};
  }
};

}  // namespace

std::unique_ptr<StepKind> make_image_copy_step() { return std::make_unique<ImageCopyStep>(); }

}  // namespace hoist::image
