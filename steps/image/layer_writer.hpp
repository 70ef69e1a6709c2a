#pragma once
// Writes a planned layer as a compressed tar in one pass:
//
//   files ─► libarchive (pax/ustar) ─► SHA-256 (diff_id) ─► gzip|zstd (all cores) ─► SHA-256 ─► file
//
// Each stage hands its bytes to the next as they come, so memory stays flat however large the layer is: one
// 64 KiB read buffer, libarchive's 10 KiB block, and the encoder's few blocks in flight (gzip_encoder.hpp).
// Entries carry only name, type, permission bits, uid/gid, the fixed mtime, size and link target: no
// uname/gname, atime, ctime or xattrs, so the bytes depend on nothing but the plan.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "steps/image/compression.hpp"
#include "steps/image/layer_plan.hpp"

namespace hoist::image {

struct LayerOptions {
  long long mtime = 0;  // every entry's mtime: SOURCE_DATE_EPOCH, else 0
  int level = 1;         // gzip 0..9, zstd 1..19; fast by default
  unsigned threads = 0;  // compression threads, 0: one per core. Never changes the bytes, only the speed.
  Compression compression = Compression::gzip;
};

struct LayerDigests {
  std::string digest;          // sha256 of the compressed blob
  std::string diff_id;         // sha256 of the uncompressed tar
  std::uint64_t size = 0;      // compressed bytes
  std::uint64_t tar_size = 0;  // uncompressed bytes
};

// The SHA-256 of every file item's contents, hashed while it was tarred ("" for other items), and when each was
// opened (CLOCK_REALTIME nanoseconds, for file_hash_memo.hpp's racy check); in the order of the items.
struct ContentHashes {
  std::vector<std::string> digests;
  std::vector<std::int64_t> read_at_ns;
};

// Writes the layer to `out` (created or truncated); with `hashes`, also hashes each file's contents on the way
// (one read of each file instead of two when the layer cache knows the layer is new). Throws hoist::Error naming the
// path when a source cannot be read or changed size since it was planned.
LayerDigests write_layer(const std::vector<TarItem>& items, const LayerOptions& options,
                         const std::filesystem::path& out, ContentHashes* hashes = nullptr);

}  // namespace hoist::image
