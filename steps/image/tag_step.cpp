// See tag_step.hpp.
#include "steps/image/tag_step.hpp"

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/errors.hpp"
#include "steps/image/registry_access.hpp"
#include "steps/image/registry_step.hpp"

namespace hoist::image {
namespace {

struct TagSpec {
  std::string image;
  std::vector<std::string> tags;
  RegistryAccess access;
};

TagSpec read_tag_spec(const YAML::Node& with, const Location& at, const std::string& file, Diagnostics& diags) {
  TagSpec s;
  if (!check_registry_step_with(with, at, "image/tag", {"image", "tags"}, file, diags)) return s;
  if (with["image"]) s.image = read_string(with["image"], "image", file, diags).value_or("");
  if (with["tags"]) s.tags = read_string_list(with["tags"], "tags", file, diags, true).value_or(std::vector<std::string>{});
  s.access = read_registry_access(with, file, diags);
  return s;
}

class ImageTagStep : public RegistryStepKind<TagSpec> {
 public:
  ImageTagStep() : RegistryStepKind("image/tag", read_tag_spec, {"image"}) {}

 private:
  PlacedImage run(StepContext& ctx, const TagSpec& s, bool plan) const override {
    if (s.tags.empty()) throw InputError("step '" + ctx.step.id + "': image/tag needs at least one tag");
    registry::Reference ref = registry::parse_reference(s.image);
    for (const auto& tag : s.tags) registry::parse_reference(ref.name() + ":" + tag);  // a bad tag: InputError
    registry::RegistryClient client(step_client_options(s.access, {ref.registry}, {ref.registry}, ctx));
    std::string tags;
    for (const auto& tag : s.tags) tags += (tags.empty() ? "" : ", ") + tag;
    std::string digest;
    if (plan) {
      digest = client.get_manifest(ref).digest;
      ctx.print("would tag " + ref.name() + "@" + digest + " as " + tags, OutputStream::out);
    } else {
      digest = client.tag_image(ref, s.tags);
      ctx.print("tagged " + ref.name() + "@" + digest + " as " + tags, OutputStream::out);
    }
    return {ref.name(), digest};
  }
};

}  // namespace

std::unique_ptr<StepKind> make_image_tag_step() { return std::make_unique<ImageTagStep>(); }

}  // namespace hoist::image
