// See copy_step.hpp.
#include "steps/image/copy_step.hpp"

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/errors.hpp"
#include "steps/image/registry_access.hpp"
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

class ImageCopyStep : public StepKind {
 public:
  std::string name() const override { return "image/copy"; }
  void validate(const Step& step, const std::string& file, Diagnostics& diags) const override {
    read_copy_spec(step.with, step.loc, file, diags);
    if (step.with && step.with.IsMap()) check_reference(step.with["from"], file, diags);
    if (step.with && step.with.IsMap()) check_reference(step.with["to"], file, diags);
  }
  OutputSpec outputs() const override { return {{"digest", "ref"}, false}; }
  std::vector<std::string> secret_keys() const override { return {"password"}; }
  void plan(StepContext& ctx) const override { run(ctx, true); }
  void apply(StepContext& ctx) const override { run(ctx, false); }

 private:
  void run(StepContext& ctx, bool plan) const {
    Diagnostics d;
    CopySpec s = read_copy_spec(ctx.with, ctx.step.loc, ctx.step.loc.file, d);
    throw_first_problem(ctx, d);
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
    ctx.outputs["digest"] = digest;
    ctx.outputs["ref"] = to.name() + "@" + digest;
  }
};

}  // namespace

std::unique_ptr<StepKind> make_image_copy_step() { return std::make_unique<ImageCopyStep>(); }

}  // namespace hoist::image
