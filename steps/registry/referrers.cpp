// See referrers.hpp.
#include "steps/registry/referrers.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "runner/util/errors.hpp"

namespace hoist::registry {
namespace {

constexpr std::string_view kOciIndexType = "application/vnd.oci.image.index.v1+json";

Reference repository_of(const Reference& r) {
  Reference out = r;
  out.tag.clear();
  out.digest.clear();
  return out;
}

void add(TransferStats& total, const CopyResult& r) { total += r.stats; }

}  // namespace

std::string fallback_tag(const std::string& digest) {
  auto colon = digest.find(':');
  if (colon == std::string::npos) throw Error("'" + digest + "' is not a digest (ALGORITHM:HEX)");
  return digest.substr(0, colon) + "-" + digest.substr(colon + 1);
}

AttachedCopy copy_attached(RegistryClient& client, const Reference& src, const Reference& dst,
                           const std::string& digest) {
  AttachedCopy out;
  const Reference from = repository_of(src), to = repository_of(dst);
  const std::string tag = fallback_tag(digest);

  if (std::optional<Manifest> referrers = client.get_referrers(from, digest)) {
    out.referrers_api = true;
    std::vector<Descriptor> found = referrers->children();
    if (found.empty()) return out;
    for (const auto& d : found) {
      add(out.stats, client.copy_image(from.with_digest(d.digest), to.with_digest(d.digest)));
      out.copied.push_back(d.digest);
    }
    // A destination without the API finds referrers only under the fallback tag: list them there too, kept with
    // whatever that index already lists.
    if (!client.get_referrers(to, digest)) {
      nlohmann::json index{{"schemaVersion", 2}, {"mediaType", kOciIndexType}, {"manifests", nlohmann::json::array()}};
      std::vector<std::string> listed;
      try {
        Manifest existing = client.get_manifest(to.with_tag(tag));
        if (existing.is_index()) {
          index = nlohmann::json::parse(existing.bytes);
          for (const auto& m : index["manifests"]) listed.push_back(m.value("digest", ""));
        }
      } catch (const Error& e) {
        if (std::string(e.what()).find("not found") == std::string::npos) throw;
      }
      nlohmann::json source = nlohmann::json::parse(referrers->bytes);
      for (const auto& m : source.at("manifests"))
        if (std::find(listed.begin(), listed.end(), m.value("digest", "")) == listed.end())
          index["manifests"].push_back(m);
      client.put_manifest(to.with_tag(tag), Manifest::from_bytes(index.dump(), kOciIndexType));
      out.stats.manifests_put += 1;
    }
    return out;
  }

  // No referrers API: the tags that name the digest.
  for (const auto& t : client.list_tags(from)) {
    bool attached = t == tag || (t.size() > tag.size() + 1 && t.compare(0, tag.size(), tag) == 0 && t[tag.size()] == '.');
    if (!attached) continue;
    add(out.stats, client.copy_image(from.with_tag(t), to.with_tag(t)));
    out.copied.push_back(t);
  }
  return out;
}

}  // namespace hoist::registry
