// See layer_cache.hpp.
#include "steps/image/layer_cache.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "runner/util/atomic_file.hpp"
#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"
#include "steps/image/file_hash_memo.hpp"

namespace hoist::image {
namespace fs = std::filesystem;

namespace {

// The SHA-256 of every file item; "" for the other items. Files whose stat data match the memo are not read;
// the others are read on all cores (hashing is most of an unchanged rebuild's time) and remembered. The order of the
// result is the order of `items`, so the key does not depend on the thread count.
std::vector<std::string> content_hashes(const std::vector<TarItem>& items, FileHashMemo* memo, int* files_read) {
  std::vector<std::string> out(items.size());
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].type != TarItem::Type::file) continue;
    if (memo) {
      if (auto known = memo->lookup(fs::absolute(items[i].source).string(), items[i].source_stat)) {
        out[i] = *known;
        continue;
      }
    }
    todo.push_back(i);
  }
  std::vector<std::int64_t> started(items.size());
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (std::size_t k = next++; k < todo.size(); k = next++) {
      std::size_t i = todo[k];
      try {
        started[i] = realtime_ns();
        out[i] = sha256_file(items[i].source);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  unsigned n = std::clamp<unsigned>(std::thread::hardware_concurrency(), 1, 16);
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n && t < todo.size(); ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
  if (memo)
    for (std::size_t i : todo) memo->remember(fs::absolute(items[i].source).string(), items[i].source_stat, out[i], started[i]);
  if (files_read) *files_read += static_cast<int>(todo.size());
  return out;
}

// The key of a plan whose file hashes are known.
std::string key_of(const std::vector<TarItem>& items, const std::vector<std::string>& hashes,
                   const LayerOptions& options) {
  nlohmann::json j;
  j["version"] = 2;
  j["compression"] = options.compression == Compression::zstd ? "zstd" : "gzip, 128 KiB blocks";
  j["level"] = options.level;
  j["mtime"] = options.mtime;
  auto& list = j["items"] = nlohmann::json::array();
  for (std::size_t k = 0; k < items.size(); ++k) {
    const TarItem& i = items[k];
    list.push_back({{"name", i.name},
                    {"type", static_cast<int>(i.type)},
                    {"mode", i.mode},
                    {"uid", i.uid},
                    {"gid", i.gid},
                    {"size", i.size},
                    {"link", i.link_target},
                    {"content", hashes[k]}});
  }
  return sha256_digest(j.dump());
}

// A layer's shape: everything of the key but the file contents, hashed straight from the fields (no JSON: it is
// computed on every build, and nothing outside this file reads it).
std::string shape_of(const std::vector<TarItem>& items, const LayerOptions& options) {
  Sha256 h;
  auto field = [&](const std::string& s) {
    h.update(s);
    h.update("\0", 1);
  };
  field("shape 1");
  field(options.compression == Compression::zstd ? "zstd" : "gzip, 128 KiB blocks");
  field(std::to_string(options.level) + " " + std::to_string(options.mtime));
  for (const TarItem& i : items) {
    field(i.name);
    field(std::to_string(static_cast<int>(i.type)) + " " + std::to_string(i.mode) + " " + std::to_string(i.uid) + " " +
          std::to_string(i.gid) + " " + std::to_string(i.size));
    field(i.link_target);
  }
  return h.digest();
}

}  // namespace

std::string LayerCache::key(const std::vector<TarItem>& items, const LayerOptions& options) {
  return key_of(items, content_hashes(items, nullptr, nullptr), options);
}

LayerBlob LayerCache::build(const std::vector<LayerEntry>& entries, const fs::path& build_dir,
                            const LayerOptions& options) {
  std::vector<TarItem> items = plan_layer(entries, build_dir);
  fs::path index_dir = store_.root() / "layers";
  FileHashMemo memo(store_.root() / "file-hashes");
  // The key without contents: no layer of this shape was ever built here, so this one cannot be in the cache, and
  // its files are hashed while they are tarred (one read each) instead of before.
  fs::path shape = index_dir / (digest_hex(shape_of(items, options)) + ".shape");
  std::error_code ec;
  if (!fs::exists(shape, ec)) {
    ContentHashes hashes;
    LayerBlob blob = write(items, options, &hashes);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].type != TarItem::Type::file) continue;
      ++stats_.files_read;
      memo.remember(fs::absolute(items[i].source).string(), items[i].source_stat, hashes.digests[i],
                    hashes.read_at_ns[i]);
    }
    memo.save();
    record(index_dir / (digest_hex(key_of(items, hashes.digests, options)) + ".json"), blob, shape);
    return blob;
  }

  const std::string cache_key = key_of(items, content_hashes(items, &memo, &stats_.files_read), options);
  memo.save();
  fs::path record_file = index_dir / (digest_hex(cache_key) + ".json");

  std::ifstream in(record_file);
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
  LayerBlob blob = write(items, options, nullptr);
  record(record_file, blob, shape);
  return blob;
}

LayerBlob LayerCache::write(const std::vector<TarItem>& items, const LayerOptions& options, ContentHashes* hashes) {
  ContentStore::Pending pending = store_.begin_blob();
  LayerDigests d = write_layer(items, options, pending.path(), hashes);
  store_.commit(pending, d.digest);
  ++stats_.misses;
  stats_.bytes_compressed += d.tar_size;
  return LayerBlob{d.digest, d.diff_id, d.size, options.compression, false};
}

void LayerCache::record(const fs::path& file, const LayerBlob& blob, const fs::path& shape) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  nlohmann::json j{{"digest", blob.digest}, {"diff_id", blob.diff_id}, {"size", blob.size}};
  write_file_atomically(file.string(), j.dump() + "\n");
  std::ofstream(shape).flush();  // empty: its name is the fact
}

}  // namespace hoist::image
