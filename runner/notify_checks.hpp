#pragma once
// Load-time checks shared by the pipeline-level `notify:` hooks (pipeline_loader) and the `notify` step kind, so both
// report a bad webhook or on_error the same way. Messages never quote a webhook: it is a secret.

#include <yaml-cpp/yaml.h>

#include <string>

#include "runner/diagnostics.hpp"
#include "runner/pipeline.hpp"

namespace hoist {

// A webhook written literally (no ${...}) must be an http:// or https:// URL.
void check_webhook_literal(const YAML::Node& node, const std::string& file, Diagnostics& diags);

// `on_error` must be `warn` or `fail`; returns the value when it is one.
std::optional<OnError> read_on_error(const YAML::Node& node, const std::string& file, Diagnostics& diags);

}  // namespace hoist
