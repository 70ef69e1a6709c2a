// See notify_checks.hpp.
#include "runner/pipeline/notify_checks.hpp"

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/did_you_mean.hpp"

namespace hoist {
namespace {

const std::vector<std::string> kHookKeys = {"webhook", "text", "on_error"};

Text text_of(const YAML::Node& n, const std::string& file) {
  return Text{n.Scalar(), location_of(n, file), is_quoted(n)};
}

}  // namespace

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

std::vector<NotifyHook> read_notify_hooks(const YAML::Node& list, const std::string& event, const std::string& file,
                                          Diagnostics& diags) {
  std::vector<NotifyHook> out;
  if (!list || list.IsNull()) return out;
  if (!list.IsSequence()) {
    diags.add(location_of(list, file), "'" + event + "' must be a list of {webhook, text} hooks, got " +
                                           yaml_type_name(list));
    return out;
  }
  for (const auto& node : list) {
    if (!node.IsMap()) {
      diags.add(location_of(node, file), "a notify hook must be a mapping with 'webhook' and 'text', got " +
                                             yaml_type_name(node));
      continue;
    }
    NotifyHook h;
    h.event = event;
    h.loc = location_of(node, file);
    check_keys(node, kHookKeys, "notify hook", file, diags);
    if (auto w = node["webhook"]) {
      if (read_string(w, "webhook", file, diags)) {
        h.webhook = text_of(w, file);
        check_webhook_literal(w, file, diags);
      }
    } else {
      diags.add(h.loc, "notify hook has no 'webhook'");
    }
    if (auto t = node["text"]) {
      if (read_string(t, "text", file, diags)) h.text = text_of(t, file);
    }
    if (auto e = node["on_error"]) {
      if (auto v = read_on_error(e, file, diags)) h.on_error = *v;
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace hoist
