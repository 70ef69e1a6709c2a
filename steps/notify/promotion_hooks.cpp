// See promotion_hooks.hpp.
#include "steps/notify/promotion_hooks.hpp"

#include "runner/report/blob_progress.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/join.hpp"
#include "steps/notify/hooks.hpp"

namespace hoist {

NotifyMessage promotion_message(const PromotionNotice& n, const std::optional<std::string>& text) {
  NotifyMessage m;
  const std::string runs = n.tag + " (" + short_blob_digest(n.digest) + ")";
  if (text)
    m.text = *text;
  else if (n.rollback())
    m.text = n.app + ": " + n.to + " rolled back to " + runs;
  else
    m.text = n.app + ": " + n.from + " → " + n.to + " now runs " + runs;
  m.fields = {{"Service", n.app},
              {"Environment", n.rollback() ? n.to + " (rollback)" : n.from + " → " + n.to},
              {"Tag", n.tag},
              {"Digest", n.digest},
              {"Who", n.who},
              {"Approvers", join(n.approvers, ", ")}};
  m.link = n.pipeline_url;
  m.diff = n.change;
  return m;
}

std::vector<NotificationResult> post_promotion_hooks(const std::vector<NotifyHook>& hooks,
                                                     const PromotionNotice& notice, const Resolver& resolve,
                                                     Reporter& reporter, const CancelToken& cancel,
                                                     const WebhookLimits& limits) {
  std::vector<NotificationResult> results;
  for (const auto& hook : hooks) {
    if (hook.event != "on_promotion") continue;
    std::optional<std::string> text;
    NotificationResult r;
    try {
      if (hook.text) text = render(*hook.text, resolve);
      r = post_hook(hook, promotion_message(notice, text), resolve, cancel, limits);
    } catch (const Error& e) {
      if (e.code() == ExitCode::interrupted) throw;
      r.event = hook.event;  // the text used a variable that is not set: reported like any failed notification
      r.problem = std::string("notification not sent: ") + e.what();
      r.fails_run = hook.on_error == OnError::fail;
    }
    reporter.notification_finished(r);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace hoist
