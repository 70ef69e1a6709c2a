// See image_config.hpp.
#include "steps/image/image_config.hpp"

#include <cstdlib>
#include <ctime>

#include "runner/util/errors.hpp"

namespace hoist::image {

Platform Platform::parse(const std::string& text) {
  Platform p;
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    auto slash = text.find('/', start);
    parts.push_back(text.substr(start, slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  bool ok = (parts.size() == 2 || parts.size() == 3);
  for (const auto& part : parts) ok = ok && !part.empty();
  if (!ok) throw InputError("platform '" + text + "' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/arm64)");
  p.os = parts[0];
  p.architecture = parts[1];
  if (parts.size() == 3) p.variant = parts[2];
  return p;
}

std::string Platform::to_string() const { return os + "/" + architecture + (variant.empty() ? "" : "/" + variant); }

std::string rfc3339(long long epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

long long source_date_epoch() {
  const char* v = std::getenv("SOURCE_DATE_EPOCH");
  if (!v || !*v) return 0;
  std::string s(v);
  bool digits = s.size() <= 12;
  for (char c : s) digits = digits && c >= '0' && c <= '9';
  if (!digits) throw InputError("SOURCE_DATE_EPOCH must be a number of seconds, got '" + s + "'");
  return std::stoll(s);
}

std::string normalize_port(const std::string& port) {
  auto slash = port.find('/');
  std::string number = port.substr(0, slash);
  std::string proto = slash == std::string::npos ? "tcp" : port.substr(slash + 1);
  bool ok = !number.empty() && number.size() <= 5 && (proto == "tcp" || proto == "udp" || proto == "sctp");
  for (char c : number) ok = ok && c >= '0' && c <= '9';
  if (ok) {
    int n = std::stoi(number);
    ok = n >= 1 && n <= 65535;
  }
  if (!ok) throw InputError("expose: '" + port + "' is not PORT or PORT/PROTOCOL (tcp, udp, sctp)");
  return std::to_string(std::stoi(number)) + "/" + proto;
}

nlohmann::json make_config(const std::optional<nlohmann::json>& base, const Platform& platform,
                           const ConfigChanges& changes, const std::vector<HistoryLayer>& layers, long long created) {
  using nlohmann::json;
  json c;
  if (base) {
    if (!base->is_object()) throw Error("the base image's config is not a JSON object");
    c = *base;
  } else {
    c = {{"architecture", platform.architecture}, {"os", platform.os}};
    if (!platform.variant.empty()) c["variant"] = platform.variant;
  }
  if (!c.contains("config") || !c["config"].is_object()) c["config"] = json::object();
  json& cfg = c["config"];

  if (changes.entrypoint) {
    cfg["Entrypoint"] = *changes.entrypoint;
    if (!changes.cmd) cfg.erase("Cmd");
  }
  if (changes.cmd) cfg["Cmd"] = *changes.cmd;
  if (!changes.env.empty()) {
    json env = cfg.contains("Env") && cfg["Env"].is_array() ? cfg["Env"] : json::array();
    for (const auto& [name, value] : changes.env) {
      std::string line = name + "=" + value;
      bool replaced = false;
      for (auto& existing : env) {
        std::string s = existing.is_string() ? existing.get<std::string>() : "";
        if (s.substr(0, s.find('=')) == name) {
          existing = line;
          replaced = true;
          break;
        }
      }
      if (!replaced) env.push_back(line);
    }
    cfg["Env"] = env;
  }
  if (changes.workdir) cfg["WorkingDir"] = *changes.workdir;
  if (changes.user) cfg["User"] = *changes.user;

  // The base's revision and source describe the base's build, not this one: cleared, then set from this build.
  if (cfg.contains("Labels") && cfg["Labels"].is_object()) {
    cfg["Labels"].erase(std::string(kRevisionKey));
    cfg["Labels"].erase(std::string(kSourceKey));
    if (cfg["Labels"].empty()) cfg.erase("Labels");
  }
  std::vector<std::pair<std::string, std::string>> labels;
  if (!changes.revision.empty()) labels.emplace_back(kRevisionKey, changes.revision);
  if (!changes.source.empty()) labels.emplace_back(kSourceKey, changes.source);
  labels.insert(labels.end(), changes.labels.begin(), changes.labels.end());  // explicit labels come last and win
  if (!labels.empty()) {
    if (!cfg.contains("Labels") || !cfg["Labels"].is_object()) cfg["Labels"] = json::object();
    for (const auto& [k, v] : labels) cfg["Labels"][k] = v;
  }
  if (!changes.expose.empty()) {
    if (!cfg.contains("ExposedPorts") || !cfg["ExposedPorts"].is_object()) cfg["ExposedPorts"] = json::object();
    for (const auto& port : changes.expose) cfg["ExposedPorts"][normalize_port(port)] = json::object();
  }

  std::string when = rfc3339(created);
  c["created"] = when;
  if (!c.contains("rootfs") || !c["rootfs"].is_object()) c["rootfs"] = json::object();
  c["rootfs"]["type"] = "layers";
  if (!c["rootfs"].contains("diff_ids") || !c["rootfs"]["diff_ids"].is_array())
    c["rootfs"]["diff_ids"] = json::array();
  if (!c.contains("history") || !c["history"].is_array()) c["history"] = json::array();
  for (const auto& layer : layers) {
    c["rootfs"]["diff_ids"].push_back(layer.diff_id);
    c["history"].push_back({{"created", when}, {"created_by", layer.created_by}});
  }
  return c;
}

}  // namespace hoist::image
