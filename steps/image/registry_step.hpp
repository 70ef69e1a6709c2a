#pragma once
// What the image kinds that work on images already in a registry (image/tag, image/copy) share: their `with` is
// read into a Spec by one reader, at load time (every problem reported) and again at run time on the resolved
// values (the first problem fails the step); the image references named by `reference_keys` are checked at load
// time; `password` is a secret key; and the outputs are the image's `digest` and `ref` (repository@digest).
//
//   class ImageTagStep : public RegistryStepKind<TagSpec> {
//    public:
//     ImageTagStep() : RegistryStepKind("image/tag", read_tag_spec, {"image"}) {}
//     PlacedImage run(StepContext& ctx, const TagSpec& spec, bool plan) const override;
//   };

#include <string>
#include <utility>
#include <vector>

#include "runner/exec/step_kind.hpp"
#include "steps/image/registry_access.hpp"

namespace hoist::image {

// Where a registry step left the image: its repository ("registry.example/team/app") and manifest digest.
struct PlacedImage {
  std::string repository;
  std::string digest;
};

template <class Spec>
class RegistryStepKind : public StepKind {
 public:
  // Reads `with`, reporting every problem at its place.
  using SpecReader = Spec (*)(const YAML::Node& with, const Location& at, const std::string& file, Diagnostics& diags);

  // `reference_keys`: the keys of `with` that hold image references.
  RegistryStepKind(std::string name, SpecReader read_spec, std::vector<std::string> reference_keys)
      : name_(std::move(name)), read_spec_(read_spec), reference_keys_(std::move(reference_keys)) {}

  std::string name() const override { return name_; }
  void validate(const Step& step, const std::string& file, Diagnostics& diags) const override {
    read_spec_(step.with, step.loc, file, diags);
    if (step.with && step.with.IsMap())
      for (const auto& key : reference_keys_) check_reference(step.with[key], file, diags);
  }
  OutputSpec outputs() const override { return {{"digest", "ref"}, false}; }
  std::vector<std::string> secret_keys() const override { return {"password"}; }
  void plan(StepContext& ctx) const override { finish(ctx, run(ctx, resolved_spec(ctx), true)); }
  void apply(StepContext& ctx) const override { finish(ctx, run(ctx, resolved_spec(ctx), false)); }

 protected:
  // Does the work (plan: only says what it would do) and says where the image is.
  virtual PlacedImage run(StepContext& ctx, const Spec& spec, bool plan) const = 0;

 private:
  Spec resolved_spec(const StepContext& ctx) const {
    Diagnostics problems;
    Spec spec = read_spec_(ctx.with, ctx.step.loc, ctx.step.loc.file, problems);
    throw_first_problem(ctx, problems);
    return spec;
  }
  static void finish(StepContext& ctx, const PlacedImage& image) {
    ctx.outputs["digest"] = image.digest;
    ctx.outputs["ref"] = image.repository + "@" + image.digest;
  }

  std::string name_;
  SpecReader read_spec_;
  std::vector<std::string> reference_keys_;
};

}  // namespace hoist::image
