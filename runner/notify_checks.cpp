// See notify_checks.hpp.
#include "runner/notify_checks.hpp"

#include "runner/did_you_mean.hpp"
#include "runner/yaml_check.hpp"

namespace hoist {

void check_webhook_literal(const YAML::Node& node, const std::string& file, Diagnostics& diags) {
  if (!node.IsScalar()) return;
  const std::string& v = node.Scalar();
  if (v.find("${") != std::string::npos) return;
  if (v.rfind("https://", 0) == 0 || v.rfind("http://", 0) == 0) return;
  diags.add(location_of(node, file), "'webhook' must be an http(s) URL, or a variable holding one such as "
                                     "${SLACK_WEBHOOK_URL}");
}

std::optional<OnError> read_on_error(const YAML::Node& node, const std::string& file, Diagnostics& diags) {
  auto v = read_string(node, "on_error", file, diags);
  if (!v) return std::nullopt;
  if (*v == "warn") return OnError::warn;
  if (*v == "fail") return OnError::fail;
  diags.add(location_of(node, file),
            "'on_error' must be warn or fail, got '" + *v + "'" + did_you_mean_suffix(*v, {"warn", "fail"}));
  return std::nullopt;
}

}  // namespace hoist
