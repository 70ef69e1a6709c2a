// The `notify` step kind: validates its `with`, builds the message from it and the built-in variables (ACTOR,
// PIPELINE_URL), and posts it; see notify_step.hpp.
#include "steps/notify/notify_step.hpp"

#include <algorithm>

#include "runner/pipeline/notify_checks.hpp"
#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/strings.hpp"
#include "steps/notify/delivery.hpp"
#include "steps/notify/slack_payload.hpp"

namespace hoist {
namespace {

const std::vector<std::string> kWithKeys = {"webhook", "text", "on_error", "fields"};
const std::vector<std::string> kFieldKeys = {"service", "environment", "tag", "digest", "diff"};

std::string scalar(const YAML::Node& node) { return node && node.IsScalar() ? node.Scalar() : std::string(); }

class NotifyStep : public StepKind {
 public:
  std::string name() const override { return "notify"; }

  void validate(const Step& step, const std::string& file, Diagnostics& diags) const override {
    const YAML::Node& with = step.with;
    if (!with || with.IsNull()) {
      diags.add(step.kind_loc, "notify needs 'with' with 'webhook' and 'text'");
      return;
    }
    check_keys(with, kWithKeys, "notify's with", file, diags);
    for (const char* key : {"webhook", "text"}) {
      if (!with[key])
        diags.add(location_of(with, file), std::string("notify needs '") + key + "'");
      else
        read_string(with[key], key, file, diags);
    }
    if (auto w = with["webhook"]; w && w.IsScalar()) check_webhook_literal(w, file, diags);
    if (auto e = with["on_error"]) read_on_error(e, file, diags);
    if (auto f = with["fields"]; f && expect_map(f, "fields", file, diags)) {
      check_keys(f, kFieldKeys, "notify's fields", file, diags);
      for (auto it = f.begin(); it != f.end(); ++it)
        if (it->first.IsScalar()) read_string(it->second, it->first.Scalar(), file, diags);
    }
  }

  std::vector<std::string> secret_keys() const override { return {"webhook"}; }

  OutputSpec outputs() const override { return {{"delivered", "http_status"}, false}; }

  void plan(StepContext& ctx) const override {
    ctx.print("would post to " + webhook_display(scalar(ctx.with["webhook"])) + ": " + scalar(ctx.with["text"]),
              OutputStream::out);
  }

  void apply(StepContext& ctx) const override {
    NotifyMessage message;
    message.text = scalar(ctx.with["text"]);
    const YAML::Node fields = ctx.with["fields"];
    message.fields = {{"Service", scalar(fields["service"])},
                      {"Environment", scalar(fields["environment"])},
                      {"Tag", scalar(fields["tag"])},
                      {"Digest", scalar(fields["digest"])},
                      {"Who", value_or_empty(ctx.env, "ACTOR")}};
    message.link = value_or_empty(ctx.env, "PIPELINE_URL");
    message.diff = scalar(fields["diff"]);

    WebhookLimits limits;
    if (ctx.deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*ctx.deadline -
                                                                        std::chrono::steady_clock::now());
      limits.total = std::clamp(left, std::chrono::milliseconds(1), limits.total);
      limits.connect = std::min(limits.connect, limits.total);
    }
    Delivery d = deliver(scalar(ctx.with["webhook"]), message, limits, ctx.cancel);
    ctx.outputs["delivered"] = d.ok ? "true" : "false";
    ctx.outputs["http_status"] = std::to_string(d.http_status);
    if (d.ok) {
      ctx.print("notified " + d.target + " (HTTP " + std::to_string(d.http_status) + ")", OutputStream::out);
      return;
    }
    if (scalar(ctx.with["on_error"]) == "fail") throw Error(d.problem);
    ctx.print("warning: " + d.problem + " (on_error: warn, so the step succeeds)", OutputStream::err);
  }
};

}  // namespace

std::unique_ptr<StepKind> make_notify_step() { return std::make_unique<NotifyStep>(); }

}  // namespace hoist
