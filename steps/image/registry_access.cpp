// See registry_access.hpp.
#include "steps/image/registry_access.hpp"

#include <algorithm>
#include <cstdio>

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"

namespace hoist::image {

bool check_registry_step_with(const YAML::Node& with, const Location& at, const std::string& kind,
                              const std::vector<std::string>& required, const std::string& file, Diagnostics& diags) {
  if (!with || !with.IsMap()) {
    diags.add(at, kind + " needs 'with' with '" + required.at(0) + "' and '" + required.at(1) + "'");
    return false;
  }
  std::vector<std::string> keys = required;
  keys.insert(keys.end(), {"username", "password", "ca_file", "insecure"});
  check_keys(with, keys, kind + "'s with", file, diags);
  for (const auto& key : required)
    if (!with[key]) diags.add(location_of(with, file), kind + " is missing '" + key + "'");
  return true;
}

RegistryAccess read_registry_access(const YAML::Node& with, const std::string& file, Diagnostics& diags) {
  RegistryAccess a;
  if (!with || !with.IsMap()) return a;
  auto str = [&](const char* key, std::string& out) {
    if (with[key])
      if (auto v = read_string(with[key], key, file, diags)) out = *v;
  };
  str("username", a.username);
  str("password", a.password);
  str("ca_file", a.ca_file);
  if (const YAML::Node insecure = with["insecure"];
      insecure && !(insecure.IsScalar() && insecure.Scalar().find("${") != std::string::npos))
    a.insecure = read_bool(insecure, "insecure", file, diags).value_or(false);
  return a;
}

registry::ClientOptions client_options(const RegistryAccess& access, const std::vector<std::string>& credentialed,
                                       const std::vector<std::string>& registries,
                                       const std::map<std::string, std::string>& env, ProcessRunner& processes,
                                       std::function<void(std::string_view)> debug) {
  registry::ClientOptions o;
  o.process_runner = &processes;
  if (!access.username.empty() || !access.password.empty())
    for (const auto& r : credentialed) o.credentials[r] = registry::Credentials{access.username, access.password, ""};
  o.env = env;
  o.ca_file = access.ca_file;
  if (access.insecure) o.insecure = registries;
  auto it = env.find("HOIST_DEBUG");
  if (it != env.end() && !it->second.empty() && it->second != "0") o.debug = std::move(debug);
  return o;
}

registry::ClientOptions step_client_options(const RegistryAccess& access, const std::vector<std::string>& credentialed,
                                            const std::vector<std::string>& registries, StepContext& ctx) {
  registry::ClientOptions o = client_options(access, credentialed, registries, ctx.env, ctx.processes,
                                             [&ctx](std::string_view l) { ctx.print(l, OutputStream::err); });
  o.progress = ctx.progress;
  return o;
}

registry::Platform to_registry(const Platform& p) { return registry::Platform{p.os, p.architecture, p.variant}; }
Platform from_registry(const registry::Platform& p) { return Platform{p.os, p.architecture, p.variant}; }

std::string RegistryBases::config_blob(const registry::Reference& ref, const std::string& digest) {
  if (store_ && store_->has(digest)) {
    std::string bytes = store_->read(digest);
    if (sha256_digest(bytes) == digest) return bytes;  // else damaged: downloaded again
  }
  std::string config;
  client_.get_blob(ref, digest, [&](std::string_view chunk) { config.append(chunk); });  // verified
  if (store_ && config.size() <= 4 * 1024 * 1024) store_->put(config);
  return config;
}

std::optional<BaseImage> RegistryBases::operator()(const std::string& base, const Platform& platform) {
  if (base == "scratch") return std::nullopt;
  registry::Reference ref = registry::parse_reference(base);
  registry::Manifest m = client_.get_image_manifest(ref, to_registry(platform));
  BaseImage out;
  try {
    out.manifest = nlohmann::json::parse(m.bytes);
  } catch (const nlohmann::json::exception&) {
    throw Error("base image " + ref.str() + " has a manifest that is not JSON");
  }
  std::vector<registry::Descriptor> blobs = m.blobs();  // config first
  std::string config = config_blob(ref, blobs.front().digest);
  try {
    out.config = nlohmann::json::parse(config);
  } catch (const nlohmann::json::exception&) {
    throw Error("base image " + ref.str() + " has a config that is not JSON");
  }
  out.name = ref.str();
  out.digest = m.digest;
  registry::Reference pinned = ref.with_digest(m.digest);
  if (std::find(resolved_.begin(), resolved_.end(), pinned) == resolved_.end()) resolved_.push_back(pinned);
  return out;
}

void check_reference(const YAML::Node& node, const std::string& file, Diagnostics& diags) {
  if (!node || !node.IsScalar() || node.Scalar().find("${") != std::string::npos || node.Scalar() == "scratch") return;
  try {
    registry::parse_reference(node.Scalar());
  } catch (const InputError& e) {
    diags.add(location_of(node, file), e.what());
  }
}

bool has_explicit_tag(std::string_view text) {
  std::string_view name = text.substr(0, text.find('@'));
  auto slash = name.rfind('/');
  std::string_view last = slash == std::string_view::npos ? name : name.substr(slash + 1);
  return last.find(':') != std::string_view::npos;
}

}  // namespace hoist::image
