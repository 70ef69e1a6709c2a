// See hooks.hpp.
#include "steps/notify/hooks.hpp"

#include "runner/pipeline/template.hpp"
#include "runner/util/duration.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/strings.hpp"
#include "steps/notify/delivery.hpp"

namespace hoist {
namespace {

std::string failed_steps(const RunSummary& summary) {
  std::string out;
  for (const auto& s : summary.steps)
    if (s.status == StepStatus::failed || s.status == StepStatus::cancelled) out += (out.empty() ? "" : ", ") + s.id;
  return out;
}

}  // namespace

// ${steps.ID.OUTPUT} of a step that set none is empty: it may have failed or been skipped, which is what an
// on_failure message is about.
Resolver run_resolver(const RunSummary& summary, const Variables& vars) {
  return [&summary, &vars](const Reference& ref) -> std::optional<std::string> {
    if (ref.kind == Reference::Kind::variable) return vars.get(ref.name);
    for (const auto& s : summary.steps) {
      if (s.id != ref.name) continue;
      return value_or_empty(s.outputs, ref.output);
    }
    return std::string();
  };
}

NotificationResult post_hook(const NotifyHook& hook, const NotifyMessage& message, const Resolver& resolve,
                             const CancelToken& cancel, const WebhookLimits& limits) {
  NotificationResult r;
  r.event = hook.event;
  std::string url;
  try {
    url = render(hook.webhook, resolve);
    Delivery d = deliver(url, message, limits, cancel);
    r.target = d.target;
    r.ok = d.ok;
    r.http_status = d.http_status;
    r.problem = d.problem;
  } catch (const Error& e) {
    if (e.code() == ExitCode::interrupted) throw;
    r.target = webhook_display(url);
    r.problem = "notification to " + r.target + " failed: " + e.what();
  }
  r.fails_run = !r.ok && hook.on_error == OnError::fail;
  return r;
}

NotifyMessage hook_message(const Pipeline& pipeline, const NotifyHook& hook, const RunSummary& summary,
                           const Variables& vars) {
  const bool ok = summary.ok();
  const std::string failed = failed_steps(summary);
  NotifyMessage m;
  if (hook.text) {
    m.text = render(*hook.text, run_resolver(summary, vars));
  } else {
    m.text = "pipeline " + pipeline.name + (ok ? " succeeded" : " failed") +
             (failed.empty() ? "" : " (failed: " + failed + ")") + " in " + format_duration(summary.duration);
  }
  m.fields = {{"Pipeline", pipeline.name},
              {"Status", ok ? "succeeded" : "failed"},
              {"Failed steps", failed},
              {"Duration", format_duration(summary.duration)},
              {"Who", vars.get("ACTOR").value_or("")}};
  m.link = vars.get("PIPELINE_URL").value_or("");
  return m;
}

std::vector<NotificationResult> run_notify_hooks(const Pipeline& pipeline, const RunSummary& summary,
                                                 const Variables& vars, Reporter& reporter, const CancelToken& cancel,
                                                 const WebhookLimits& limits) {
  std::vector<NotificationResult> results;
  if (summary.mode == Mode::plan || summary.interrupted) return results;
  const std::string event = summary.ok() ? "on_success" : "on_failure";
  for (const auto& hook : pipeline.notify) {
    if (hook.event != event) continue;
    NotificationResult r = post_hook(hook, hook_message(pipeline, hook, summary, vars), run_resolver(summary, vars),
                                     cancel, limits);
    reporter.notification_finished(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace hoist
