#pragma once
// Load-time checks shared by the pipeline-level `notify:` hooks (pipeline_loader), the policy's `notify:` hooks
// (steps/promote/policy) and the `notify` step kind, so all report a bad webhook or on_error the same way. Messages
// never quote a webhook: it is a secret.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "runner/pipeline/pipeline.hpp"
#include "runner/util/diagnostics.hpp"

namespace hoist {

// A webhook written literally (no ${...}) must be an http:// or https:// URL.
void check_webhook_literal(const YAML::Node& node, const std::string& file, Diagnostics& diags);

// `on_error` must be `warn` or `fail`; returns the value when it is one.
std::optional<OnError> read_on_error(const YAML::Node& node, const std::string& file, Diagnostics& diags);

// The hooks of one event (`on_success: [{webhook, text, on_error}, ...]`), each checked at its place; a hook with
// problems is still returned (the caller stops on diagnostics anyway).
std::vector<NotifyHook> read_notify_hooks(const YAML::Node& list, const std::string& event, const std::string& file,
                                          Diagnostics& diags);

}  // namespace hoist
