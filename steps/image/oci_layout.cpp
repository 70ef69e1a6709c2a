// See oci_layout.hpp.
#include "steps/image/oci_layout.hpp"

#include <unistd.h>

#include <fstream>

#include "runner/util/atomic_file.hpp"
#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"

namespace hoist::image {
namespace fs = std::filesystem;
namespace {

constexpr const char* kRefName = "org.opencontainers.image.ref.name";

void link_or_copy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(to, ec)) return;
  fs::path tmp = to;
  tmp += ".tmp-" + std::to_string(::getpid());
  fs::remove(tmp, ec);
  fs::create_hard_link(from, tmp, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error("cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
  }
  fs::rename(tmp, to, ec);
  if (ec) throw Error("cannot write " + to.string() + ": " + ec.message());
}

// Copies `d` and, for manifests and indexes, everything they refer to.
void copy_tree(const Descriptor& d, const ContentStore& store, const fs::path& blobs) {
  if (!store.has(d.digest))
    throw Error("blob " + d.digest + " (" + d.media_type + ") is not in the content store " + store.root().string());
  link_or_copy(store.blob_path(d.digest), blobs / digest_hex(d.digest));
  bool index = d.media_type == kOciIndex || d.media_type == kDockerManifestList;
  bool manifest = d.media_type == media_types(ManifestFormat::oci).manifest ||
                  d.media_type == media_types(ManifestFormat::docker).manifest;
  if (!index && !manifest) return;
  std::ifstream in(store.blob_path(d.digest));
  nlohmann::json j = nlohmann::json::parse(in);
  if (index) {
    for (const auto& m : j.at("manifests")) copy_tree(descriptor_from_json(m), store, blobs);
  } else {
    copy_tree(descriptor_from_json(j.at("config")), store, blobs);
    for (const auto& l : j.at("layers")) copy_tree(descriptor_from_json(l), store, blobs);
  }
}

}  // namespace

void write_oci_layout(const fs::path& dir, const ContentStore& store, const std::vector<LayoutRef>& refs) {
  fs::path blobs = dir / "blobs" / "sha256";
  std::error_code ec;
  fs::create_directories(blobs, ec);
  if (ec) throw Error("cannot create " + blobs.string() + ": " + ec.message());
  for (const auto& r : refs) copy_tree(r.descriptor, store, blobs);

  nlohmann::json index{{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", nlohmann::json::array()}};
  if (std::ifstream in(dir / "index.json"); in) {
    nlohmann::json old = nlohmann::json::parse(in, nullptr, false);
    if (old.is_object() && old.contains("manifests") && old["manifests"].is_array()) {
      for (const auto& m : old["manifests"]) {
        std::string name = m.contains("annotations") ? m["annotations"].value(kRefName, "") : "";
        bool replaced = false;
        for (const auto& r : refs) replaced = replaced || r.name == name;
        if (!replaced) index["manifests"].push_back(m);
      }
    }
  }
  for (const auto& r : refs) {
    Descriptor d = r.descriptor;
    d.annotations[kRefName] = r.name;
    index["manifests"].push_back(to_json(d));
  }
  write_file_atomically((dir / "oci-layout").string(), R"({"imageLayoutVersion":"1.0.0"})");
  write_file_atomically((dir / "index.json").string(), index.dump());
}

}  // namespace hoist::image
