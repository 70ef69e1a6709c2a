#pragma once
// The `notify` step: posts a Slack-compatible message (text, fields, pipeline link) to a webhook. A failed
// notification is a warning unless `on_error: fail`. The webhook URL is a secret: variables used in it are masked in
// every line Hoist prints, and the step itself names only the URL's scheme and host.
//
//   - id: announce
//     uses: notify
//     needs: [deploy-qa]
//     with:
//       webhook: ${SLACK_WEBHOOK_URL}
//       text: "api-gateway ${COMMIT_SHORT_SHA} is on qa"
//       on_error: warn                 # or fail
//       fields: {service: api-gateway, environment: qa, tag: "${COMMIT_SHORT_SHA}", digest: "${steps.image.digest}"}

#include <memory>

#include "runner/exec/step_kind.hpp"

namespace hoist {

std::unique_ptr<StepKind> make_notify_step();

}  // namespace hoist
