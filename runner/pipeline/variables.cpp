#include "runner/pipeline/variables.hpp"

#include <cctype>

#include "runner/pipeline/template.hpp"
#include "runner/util/errors.hpp"

namespace hoist {

Variables::Variables(const Pipeline& pipeline, std::map<std::string, std::string> overrides,
                     std::map<std::string, std::string> builtins, std::map<std::string, std::string> environment)
    : pipeline_(pipeline),
      overrides_(std::move(overrides)),
      builtins_(std::move(builtins)),
      environment_(std::move(environment)) {
  for (const auto& [name, _] : pipeline_.vars) {
    std::set<std::string> resolving;
    resolve_var(name, resolving);
  }
}

std::optional<std::string> Variables::below_vars(const std::string& name) const {
  if (auto it = builtins_.find(name); it != builtins_.end()) return it->second;
  if (auto it = environment_.find(name); it != environment_.end()) return it->second;
  return std::nullopt;
}

std::string Variables::resolve_var(const std::string& name, std::set<std::string>& resolving) {
  if (auto it = resolved_.find(name); it != resolved_.end()) return it->second;
  const Text* text = nullptr;
  for (const auto& [n, t] : pipeline_.vars)
    if (n == name) text = &t;
  if (!resolving.insert(name).second)
    throw InputError(to_string(text->loc) + ": variables are defined in terms of each other in a cycle");
  std::string value = render(*text, [&](const Reference& ref) -> std::optional<std::string> {
    if (ref.kind != Reference::Kind::variable) return std::nullopt;
    if (auto it = overrides_.find(ref.name); it != overrides_.end()) return it->second;
    if (ref.name == name) return below_vars(ref.name);
    for (const auto& [n, _] : pipeline_.vars)
      if (n == ref.name) return resolve_var(ref.name, resolving);
    return below_vars(ref.name);
  });
  resolving.erase(name);
  resolved_[name] = value;
  return value;
}

std::optional<std::string> Variables::get(const std::string& name) const {
  if (auto it = overrides_.find(name); it != overrides_.end()) return it->second;
  if (auto it = resolved_.find(name); it != resolved_.end()) return it->second;
  return below_vars(name);
}

std::set<std::string> Variables::outside_names() const {
  std::set<std::string> out;
  for (const auto* m : {&overrides_, &builtins_, &environment_})
    for (const auto& [k, _] : *m) out.insert(k);
  return out;
}

std::map<std::string, std::string> Variables::child_environment() const {
  std::map<std::string, std::string> env = environment_;
  for (const auto* m : {&builtins_, &resolved_, &overrides_})
    for (const auto& [k, v] : *m) env[k] = v;
  return env;
}

namespace {

// The password of a proxy variable's URL ("http://user:password@proxy:3128"), or "".
std::string proxy_password(const std::string& name, const std::string& value) {
  std::string lower = name;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "https_proxy" && lower != "http_proxy" && lower != "all_proxy") return "";
  size_t start = value.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t at = value.find('@', start);
  if (at == std::string::npos || value.find_first_of("/?#", start) < at) return "";
  size_t colon = value.find(':', start);
  return colon == std::string::npos || colon > at ? "" : value.substr(colon + 1, at - colon - 1);
}

}  // namespace

void Variables::add_secrets_to(SecretMasker& masker, const std::set<std::string>& declared) const {
  for (const auto& [k, v] : child_environment()) {
    if (is_secret_name(k, declared)) masker.add(v);
    if (std::string pw = proxy_password(k, v); !pw.empty()) masker.add(pw);  // proxy credentials, as every secret
  }
}

std::pair<std::string, std::string> parse_assignment(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || !is_variable_name(std::string_view(arg).substr(0, eq)))
    throw InputError("--var expects NAME=VALUE, got '" + arg.substr(0, eq) + (eq == std::string::npos ? "" : "=...") + "'");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

}  // namespace hoist
