#pragma once
// A local content-addressed store of blobs: `<root>/blobs/sha256/<hex>`, the same shape as an OCI image layout's
// blobs directory, so a layout can be made from it by linking files. It doubles as the layer cache's storage (see
// layer_cache.hpp, which keeps its index under `<root>/layers/`), and it is what the registry client pushes from.
// Blobs are written to a temporary file in the same directory and renamed into place, so a reader never sees half
// a blob and two builds writing the same blob at once both succeed.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace hoist::image {

class ContentStore {
 public:
  explicit ContentStore(std::filesystem::path root);  // creates <root>/blobs/sha256 when missing
  // $HOIST_CACHE, else $XDG_CACHE_HOME/hoist, else ~/.cache/hoist.
  static std::filesystem::path default_root();

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path blob_path(const std::string& digest) const;  // throws hoist::Error for a malformed digest
  bool has(const std::string& digest) const;
  std::uint64_t size(const std::string& digest) const;  // throws hoist::Error when absent

  // The bytes of a small blob (a config, a manifest). Throws hoist::Error when it is absent.
  std::string read(const std::string& digest) const;
  // Stores `bytes` and returns their digest.
  std::string put(std::string_view bytes);

  // A temporary file inside the store to stream a blob into; removed unless committed.
  class Pending {
   public:
    explicit Pending(std::filesystem::path path) : path_(std::move(path)) {}
    ~Pending();
    Pending(Pending&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
    Pending(const Pending&) = delete;
    Pending& operator=(const Pending&) = delete;
    Pending& operator=(Pending&&) = delete;
    const std::filesystem::path& path() const { return path_; }

   private:
    friend class ContentStore;
    std::filesystem::path path_;
  };
  Pending begin_blob() const;
  // Renames the pending file to `digest`'s place. The caller computed `digest` while writing it.
  void commit(Pending& pending, const std::string& digest) const;

 private:
  std::filesystem::path root_;
};

}  // namespace hoist::image
