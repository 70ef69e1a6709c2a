// See build_spec.hpp.
#include "steps/image/build_spec.hpp"

#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/errors.hpp"

namespace hoist::image {
namespace {

constexpr const char* kWhat = "image/build's with";

bool has_reference(const YAML::Node& node) { return node.IsScalar() && node.Scalar().find("${") != std::string::npos; }

std::optional<unsigned> read_mode(const YAML::Node& node, const std::string& file, Diagnostics& diags) {
  if (has_reference(node)) return std::nullopt;
  std::string s = node.IsScalar() ? node.Scalar() : "";
  if (s.rfind("0o", 0) == 0) s = s.substr(2);
  bool ok = !s.empty() && s.size() <= 5;
  for (char c : s) ok = ok && c >= '0' && c <= '7';
  if (ok && std::stoul(s, nullptr, 8) <= 07777) return static_cast<unsigned>(std::stoul(s, nullptr, 8));
  std::string got = node.IsScalar() ? "'" + node.Scalar() + "'" : yaml_type_name(node);
  diags.add(location_of(node, file), "'mode' must be octal permission bits such as 0755, got " + got);
  return std::nullopt;
}

std::optional<long long> read_id(const YAML::Node& node, const std::string& key, const std::string& file,
                                 Diagnostics& diags) {
  if (has_reference(node)) return std::nullopt;
  auto v = read_integer(node, key, file, diags);
  if (v && (*v < 0 || *v > 0x7fffffff)) {
    diags.add(location_of(node, file), "'" + key + "' must be between 0 and 2147483647, got " + std::to_string(*v));
    return std::nullopt;
  }
  return v;
}

std::vector<std::pair<std::string, std::string>> read_string_map(const YAML::Node& node, const std::string& key,
                                                                 const std::string& file, Diagnostics& diags) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!expect_map(node, key, file, diags)) return out;
  check_duplicate_keys(node, "'" + key + "'", file, diags);
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) continue;  // reported by check_duplicate_keys
    auto value = read_string(it->second, key + "." + it->first.Scalar(), file, diags);
    if (value) out.emplace_back(it->first.Scalar(), *value);
  }
  return out;
}

LayerEntry read_layer(const YAML::Node& node, const std::string& file, Diagnostics& diags) {
  LayerEntry e;
  if (!node.IsMap()) {
    diags.add(location_of(node, file), "a layer must be a mapping {src, dest, ...}, got " + yaml_type_name(node));
    return e;
  }
  check_keys(node, {"src", "dest", "mode", "uid", "gid", "exclude"}, "layer", file, diags);
  for (const char* required : {"src", "dest"})
    if (!node[required]) diags.add(location_of(node, file), std::string("layer is missing '") + required + "'");
  if (node["src"]) e.src = read_string(node["src"], "src", file, diags).value_or("");
  if (node["dest"]) {
    if (auto dest = read_string(node["dest"], "dest", file, diags)) {
      e.dest = *dest;
      try {
        normalize_dest(e.dest);
      } catch (const InputError& err) {
        diags.add(location_of(node["dest"], file), err.what());
      }
    }
  }
  if (node["mode"]) e.mode = read_mode(node["mode"], file, diags);
  if (node["uid"]) e.uid = read_id(node["uid"], "uid", file, diags);
  if (node["gid"]) e.gid = read_id(node["gid"], "gid", file, diags);
  if (node["exclude"])
    e.exclude = read_string_list(node["exclude"], "exclude", file, diags, true).value_or(std::vector<std::string>{});
  return e;
}

}  // namespace

const std::vector<std::string>& build_spec_keys() {
  static const std::vector<std::string> keys{
      "base",   "image",     "tags",        "layers",            "entrypoint", "cmd",      "env",
      "workdir", "user",     "labels",      "expose",            "platforms",  "compression",
      "compression_level",   "username",    "password",          "ca_file",    "insecure"};
  return keys;
}

BuildSpec parse_build_spec(const YAML::Node& with, const std::string& file, Diagnostics& diags) {
  BuildSpec spec;
  if (!with || with.IsNull()) {
    diags.add(Location{file, 0, 0}, "image/build needs 'with' with at least 'base' and 'image'");
    return spec;
  }
  if (!expect_map(with, "with", file, diags)) return spec;
  check_keys(with, build_spec_keys(), kWhat, file, diags);
  for (const char* required : {"base", "image"})
    if (!with[required])
      diags.add(location_of(with, file), std::string("image/build is missing '") + required + "'");

  auto str = [&](const char* key, std::string& out) {
    if (with[key])
      if (auto v = read_string(with[key], key, file, diags)) out = *v;
  };
  str("base", spec.base);
  str("image", spec.image);
  for (const char* key : {"username", "password"})  // only checked: RegistryAccess holds them
    if (with[key]) read_string(with[key], key, file, diags);
  str("ca_file", spec.ca_file);
  if (with["tags"])
    spec.tags = read_string_list(with["tags"], "tags", file, diags, true).value_or(std::vector<std::string>{});
  if (const YAML::Node layers = with["layers"]) {
    if (!layers.IsSequence())
      diags.add(location_of(layers, file), "'layers' must be a list of {src, dest} mappings, got " +
                                               yaml_type_name(layers));
    else
      for (const auto& l : layers) spec.layers.push_back(read_layer(l, file, diags));
  }
  if (with["entrypoint"])
    spec.config.entrypoint = read_string_list(with["entrypoint"], "entrypoint", file, diags, true);
  if (with["cmd"]) spec.config.cmd = read_string_list(with["cmd"], "cmd", file, diags, true);
  if (with["env"]) {
    spec.config.env = read_string_map(with["env"], "env", file, diags);
    for (auto it = with["env"].begin(); with["env"].IsMap() && it != with["env"].end(); ++it)
      if (it->first.IsScalar() && (it->first.Scalar().empty() || it->first.Scalar().find('=') != std::string::npos))
        diags.add(location_of(it->first, file), "env name '" + it->first.Scalar() + "' must be non-empty without '='");
  }
  if (with["labels"]) spec.config.labels = read_string_map(with["labels"], "labels", file, diags);
  if (with["workdir"]) spec.config.workdir = read_string(with["workdir"], "workdir", file, diags);
  if (with["user"]) spec.config.user = read_string(with["user"], "user", file, diags);
  if (const YAML::Node expose = with["expose"]) {
    if (auto ports = read_string_list(expose, "expose", file, diags, true)) {
      spec.config.expose = *ports;
      std::size_t i = 0;
      for (const auto& port : *ports) {
        const YAML::Node at = expose.IsSequence() ? expose[i++] : expose;
        if (port.find("${") != std::string::npos) continue;
        try {
          normalize_port(port);
        } catch (const InputError& e) {
          diags.add(location_of(at, file), e.what());
        }
      }
    }
  }
  if (const YAML::Node platforms = with["platforms"]) {
    if (auto list = read_string_list(platforms, "platforms", file, diags, true)) {
      std::size_t i = 0;
      for (const auto& p : *list) {
        const YAML::Node at = platforms.IsSequence() ? platforms[i++] : platforms;
        if (p.find("${") != std::string::npos) continue;
        try {
          spec.platforms.push_back(Platform::parse(p));
        } catch (const InputError& e) {
          diags.add(location_of(at, file), e.what());
        }
      }
    }
  }
  bool compression_known = true;
  if (const YAML::Node c = with["compression"]) {
    compression_known = !has_reference(c);
    if (auto v = read_string(c, "compression", file, diags); v && compression_known) {
      try {
        spec.compression = parse_compression(*v);
      } catch (const InputError& e) {
        diags.add(location_of(c, file), e.what());
        compression_known = false;
      }
    }
  }
  if (const YAML::Node level = with["compression_level"]; level && !has_reference(level)) {
    if (auto v = read_integer(level, "compression_level", file, diags)) {
      int lo = min_level(spec.compression), hi = max_level(spec.compression);
      if (compression_known && (*v < lo || *v > hi)) {
        std::string range = std::to_string(lo) + ".." + std::to_string(hi);
        diags.add(location_of(level, file), "'compression_level' must be " + range + " for " +
                                                std::string(to_string(spec.compression)) + ", got " +
                                                std::to_string(*v));
      } else {
        spec.compression_level = static_cast<int>(*v);
      }
    }
  }
  if (const YAML::Node insecure = with["insecure"]; insecure && !has_reference(insecure))
    spec.insecure = read_bool(insecure, "insecure", file, diags).value_or(false);
  return spec;
}

void validate_build_spec(const Step& step, const std::string& file, Diagnostics& diags) {
  if (!step.with || step.with.IsNull()) {
    diags.add(step.loc, "image/build needs 'with' with at least 'base' and 'image'");
    return;
  }
  parse_build_spec(step.with, file, diags);
}

}  // namespace hoist::image
