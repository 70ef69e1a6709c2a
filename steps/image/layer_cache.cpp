// See layer_cache.hpp.
#include "steps/image/layer_cache.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "runner/atomic_file.hpp"
#include "runner/errors.hpp"
#include "steps/digest/sha256.hpp"

namespace hoist::image {
namespace fs = std::filesystem;

std::string LayerCache::key(const std::vector<TarItem>& items, const LayerOptions& options) {
  nlohmann::json j;
  j["version"] = 2;
  j["compression"] = options.compression == Compression::zstd ? "zstd" : "gzip, 128 KiB blocks";
  j["level"] = options.level;
  j["mtime"] = options.mtime;
  auto& list = j["items"] = nlohmann::json::array();
  for (const auto& i : items) {
    list.push_back({{"name", i.name},
                    {"type", static_cast<int>(i.type)},
                    {"mode", i.mode},
                    {"uid", i.uid},
                    {"gid", i.gid},
                    {"size", i.size},
                    {"link", i.link_target},
                    {"content", i.type == TarItem::Type::file ? sha256_file(i.source) : ""}});
  }
  return sha256_digest(j.dump());
}

LayerBlob LayerCache::build(const std::vector<LayerEntry>& entries, const fs::path& build_dir,
                            const LayerOptions& options) {
  std::vector<TarItem> items = plan_layer(entries, build_dir);
  fs::path index_dir = store_.root() / "layers";
  fs::path record = index_dir / (digest_hex(key(items, options)) + ".json");

  std::ifstream in(record);
  if (in) {
    try {
      nlohmann::json j = nlohmann::json::parse(in);
      LayerBlob blob{j.at("digest").get<std::string>(), j.at("diff_id").get<std::string>(),
                     j.at("size").get<std::uint64_t>(), options.compression, true};
      if (store_.has(blob.digest) && store_.size(blob.digest) == blob.size) {
        ++stats_.hits;
        return blob;
      }
    } catch (const std::exception&) {
      // A damaged record is a miss; it is rewritten below.
    }
  }

  ContentStore::Pending pending = store_.begin_blob();
  LayerDigests d = write_layer(items, options, pending.path());
  store_.commit(pending, d.digest);
  ++stats_.misses;
  stats_.bytes_compressed += d.tar_size;

  std::error_code ec;
  fs::create_directories(index_dir, ec);
  nlohmann::json j{{"digest", d.digest}, {"diff_id", d.diff_id}, {"size", d.size}};
  write_file_atomically(record.string(), j.dump() + "\n");
  return LayerBlob{d.digest, d.diff_id, d.size, options.compression, false};
}

}  // namespace hoist::image
