#pragma once
// Builds layers into the content store, skipping the tar and the compression when the same inputs were built
// before.
//
// The cache key is a SHA-256 over everything the layer's bytes depend on: a format version, the compression and
// its level, the fixed mtime, and for every planned tar item its name, type, mode, uid, gid, size, link target and
// the SHA-256 of its contents. Contents are hashed rather than trusted by size+mtime because CI checks sources out
// fresh (every mtime new, so size+mtime would always miss) and because an edit that keeps the size within the same
// second would be missed (a wrong layer is far worse than a slow one). Hashing reads each file once without
// tarring or compressing it, which is several times cheaper than building the layer; and a file whose stat data
// are unchanged since it was last hashed is not read at all (file_hash_memo.hpp, like git's index). The key maps to a
// small JSON
// record in `<store>/layers/<key>.json` (digest, diff_id, size), written atomically; a hit also requires the blob
// itself to still be in the store.
//
// A layer whose shape (the key without the contents: names, types, modes, sizes, …) was never built here cannot be
// in the cache, so it is not hashed first: each file is hashed while it is tarred, one read instead of two, and the
// key is known when the layer is. An empty `<store>/layers/<shape key>.shape` marks the shapes built.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "steps/image/content_store.hpp"
#include "steps/image/layer_plan.hpp"
#include "steps/image/layer_writer.hpp"

namespace hoist::image {

struct LayerBlob {
  std::string digest;
  std::string diff_id;
  std::uint64_t size = 0;
  Compression compression = Compression::gzip;
  bool from_cache = false;
};

struct LayerCacheStats {
  int hits = 0;
  int misses = 0;                          // layers tarred and compressed
  std::uint64_t bytes_compressed = 0;      // uncompressed tar bytes fed to the compressor
  int files_read = 0;                      // files hashed for the key (the others were known by their stat data)
};

class LayerCache {
 public:
  explicit LayerCache(const ContentStore& store) : store_(store) {}

  // Plans, then either finds the layer in the cache or writes it into the store. Throws as plan_layer and
  // write_layer do.
  LayerBlob build(const std::vector<LayerEntry>& entries, const std::filesystem::path& build_dir,
                  const LayerOptions& options);
  const LayerCacheStats& stats() const { return stats_; }

  // The cache key of a plan (exposed for tests and for plan mode).
  static std::string key(const std::vector<TarItem>& items, const LayerOptions& options);

 private:
  // Tars and compresses into the store (hashing each file's contents into `hashes` when given).
  LayerBlob write(const std::vector<TarItem>& items, const LayerOptions& options, ContentHashes* hashes);
  // The record of a built layer under its key, and the mark that a layer of its shape exists.
  static void record(const std::filesystem::path& file, const LayerBlob& blob, const std::filesystem::path& shape);

  const ContentStore& store_;
  LayerCacheStats stats_;
};

}  // namespace hoist::image
