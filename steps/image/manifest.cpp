// See manifest.hpp.
#include "steps/image/manifest.hpp"

#include "runner/util/errors.hpp"

namespace hoist::image {

nlohmann::json to_json(const Descriptor& d) {
  nlohmann::json j{{"mediaType", d.media_type}, {"digest", d.digest}, {"size", d.size}};
  if (d.platform) {
    j["platform"] = {{"os", d.platform->os}, {"architecture", d.platform->architecture}};
    if (!d.platform->variant.empty()) j["platform"]["variant"] = d.platform->variant;
  }
  if (!d.annotations.empty()) j["annotations"] = d.annotations;
  return j;
}

Descriptor descriptor_from_json(const nlohmann::json& j) {
  try {
    Descriptor d;
    d.media_type = j.at("mediaType").get<std::string>();
    d.digest = j.at("digest").get<std::string>();
    d.size = j.at("size").get<std::uint64_t>();
    if (j.contains("platform")) {
      Platform p;
      p.os = j["platform"].at("os").get<std::string>();
      p.architecture = j["platform"].at("architecture").get<std::string>();
      p.variant = j["platform"].value("variant", "");
      d.platform = p;
    }
    if (j.contains("annotations")) d.annotations = j["annotations"].get<std::map<std::string, std::string>>();
    return d;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("malformed descriptor: ") + e.what());
  }
}

std::string make_manifest(ManifestFormat format, const Descriptor& config, const std::vector<Descriptor>& layers,
                          const std::map<std::string, std::string>& annotations) {
  nlohmann::json m{{"schemaVersion", 2}, {"mediaType", media_types(format).manifest}, {"config", to_json(config)}};
  m["layers"] = nlohmann::json::array();
  for (const auto& l : layers) m["layers"].push_back(to_json(l));
  if (format == ManifestFormat::oci && !annotations.empty()) m["annotations"] = annotations;
  return m.dump();
}

std::string make_index(const std::vector<Descriptor>& manifests,
                       const std::map<std::string, std::string>& annotations) {
  nlohmann::json i{{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", nlohmann::json::array()}};
  for (const auto& m : manifests) i["manifests"].push_back(to_json(m));
  if (!annotations.empty()) i["annotations"] = annotations;
  return i.dump();
}

}  // namespace hoist::image
