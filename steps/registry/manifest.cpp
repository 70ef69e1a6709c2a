// See manifest.hpp.

#include "steps/registry/manifest.hpp"

#include <nlohmann/json.hpp>

#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"

namespace hoist::registry {
namespace {

using nlohmann::json;

json parse(const Manifest& m) {
  try {
    json j = json::parse(m.bytes);
    if (!j.is_object()) throw Error("");
    return j;
  } catch (const std::exception&) {
    throw Error("manifest " + m.digest + " is not a JSON object");
  }
}

Descriptor descriptor(const json& j, const Manifest& m) {
  if (!j.is_object() || !j.contains("digest") || !j["digest"].is_string())
    throw Error("manifest " + m.digest + " has a descriptor without a digest");
  Descriptor d;
  d.media_type = j.value("mediaType", "");
  d.digest = j["digest"].get<std::string>();
  d.size = j.value("size", std::uint64_t{0});
  if (auto p = j.find("platform"); p != j.end() && p->is_object())
    d.platform = Platform{p->value("os", ""), p->value("architecture", ""), p->value("variant", "")};
  return d;
}

}  // namespace

bool is_index_media_type(std::string_view t) { return t == media_type::oci_index || t == media_type::docker_manifest_list; }

Manifest Manifest::from_bytes(std::string bytes, std::string_view hint) {
  Manifest m;
  m.digest = sha256_digest(bytes);
  m.bytes = std::move(bytes);
  try {
    json j = json::parse(m.bytes);
    if (j.is_object() && j.contains("mediaType") && j["mediaType"].is_string()) m.media_type = j["mediaType"].get<std::string>();
    else if (j.is_object() && !hint.empty()) m.media_type = hint;
    else if (j.is_object() && j.contains("manifests")) m.media_type = media_type::oci_index;
    else if (j.is_object() && j.contains("layers")) m.media_type = media_type::oci_manifest;
  } catch (const json::exception&) {
  }
  if (m.media_type.empty()) m.media_type = hint;
  return m;
}

bool Manifest::is_index() const { return is_index_media_type(media_type); }

std::vector<Descriptor> Manifest::blobs() const {
  if (is_index()) throw Error("manifest " + digest + " is an index, not an image manifest");
  json j = parse(*this);
  if (!j.contains("config") || !j["layers"].is_array())
    throw Error("manifest " + digest + " (" + media_type + ") has no config and layers");
  std::vector<Descriptor> out{descriptor(j["config"], *this)};
  for (const auto& l : j["layers"]) out.push_back(descriptor(l, *this));
  return out;
}

std::vector<Descriptor> Manifest::children() const {
  if (!is_index()) throw Error("manifest " + digest + " is not an index");
  json j = parse(*this);
  if (!j["manifests"].is_array()) throw Error("index " + digest + " has no manifests");
  std::vector<Descriptor> out;
  for (const auto& c : j["manifests"]) out.push_back(descriptor(c, *this));
  return out;
}

Platform parse_platform(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == '/') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  bool ok = (parts.size() == 2 || parts.size() == 3);
  for (const auto& p : parts) ok = ok && !p.empty();
  if (!ok) throw InputError("invalid platform '" + std::string(text) + "': expected OS/ARCH or OS/ARCH/VARIANT");
  return Platform{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
}

std::string to_string(const Platform& p) {
  return p.os + "/" + p.architecture + (p.variant.empty() ? "" : "/" + p.variant);
}

std::optional<Descriptor> pick_platform(const Manifest& index, const Platform& platform) {
  for (const auto& d : index.children()) {
    if (!d.platform || d.platform->os != platform.os || d.platform->architecture != platform.architecture) continue;
    if (!platform.variant.empty() && d.platform->variant != platform.variant) continue;
    return d;
  }
  return std::nullopt;
}

}  // namespace hoist::registry
