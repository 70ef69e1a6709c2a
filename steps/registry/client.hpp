#pragma once
// The OCI distribution API client that the image steps use: blobs (exists, push with cross-repository mount, streamed
// and verified download), manifests (get by tag or digest, put), and the two composite operations, copy and tag.
// The blob store (steps/image) hands blobs over as files on disk with their digest, size and media type; nothing here
// reads a whole blob into memory.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "steps/registry/blob_meter.hpp"
#include "steps/registry/body.hpp"
#include "steps/registry/manifest.hpp"
#include "steps/registry/reference.hpp"
#include "steps/registry/session.hpp"

namespace hoist::registry {

// A blob as the blob store produced it.
struct BlobFile {
  std::filesystem::path path;
  std::string digest;  // "sha256:..."
  std::uint64_t size = 0;
  std::string media_type;
};

// What moved. bytes_uploaded counts blob bytes of completed uploads (a retried upload counts once).
struct TransferStats {
  std::size_t blobs_skipped = 0;   // already in the target repository (HEAD)
  std::size_t blobs_mounted = 0;   // cross-repository mount: no bytes moved
  std::size_t blobs_uploaded = 0;
  std::uint64_t bytes_uploaded = 0;
  std::size_t manifests_put = 0;
  TransferStats& operator+=(const TransferStats& o);
};

struct CopyResult {
  std::string digest;  // of the top manifest (or index); the same at the source and the destination
  TransferStats stats;
};

class RegistryClient {
 public:
  explicit RegistryClient(ClientOptions options = {});
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  // HEAD /v2/<repo>/blobs/<digest>. Only repo's registry and repository are used.
  bool blob_exists(const Reference& repo, const std::string& digest);

  // Pushes every blob not already there, up to options.parallelism at once; each blob's progress and outcome goes
  // to options.progress (the blob-moving calls below do the same). `mount_from` lists repositories
  // (paths, same registry) that may hold the blobs: each blob is first offered as a cross-repository mount from the
  // first of them. Throws hoist::Error naming the blob that failed.
  TransferStats push_blobs(const Reference& repo, const std::vector<BlobFile>& blobs,
                           const std::vector<std::string>& mount_from = {});
  // One blob from any replayable source.
  TransferStats push_blob(const Reference& repo, const BodySource& body, const std::string& digest,
                          const std::string& mount_from = {});

  // GET /v2/<repo>/blobs/<digest>, streamed to `sink` while its SHA-256 is checked; a mismatch throws hoist::Error
  // after the last chunk (the sink must treat what it got as unverified until this returns).
  void get_blob(const Reference& repo, const std::string& digest,
                const std::function<void(std::string_view chunk)>& sink);

  // GET the manifest `ref` names (tag or digest) with an Accept header for Docker schema 2, Docker manifest lists,
  // OCI manifests and OCI indexes. The digest is computed from the bytes; it must equal the requested digest and any
  // Docker-Content-Digest header.
  Manifest get_manifest(const Reference& ref);
  // The image manifest for `platform`: get_manifest(ref), and when that is an index, the entry for the platform
  // (fetched by digest). Throws hoist::Error listing the index's platforms when it has none for `platform`.
  Manifest get_image_manifest(const Reference& ref, const Platform& platform = {});
  // PUT `manifest` under ref.identifier() with Content-Type = its media type. Returns its digest.
  std::string put_manifest(const Reference& ref, const Manifest& manifest);
  // GET /v2/<repo>/referrers/<digest> (OCI distribution 1.1): the index of the manifests whose subject is `digest`,
  // or nullopt when the registry has no referrers API (it answers 404, as Distribution 2.8 does).
  std::optional<Manifest> get_referrers(const Reference& repo, const std::string& digest);
  // GET /v2/<repo>/tags/list, following the Link header through every page.
  std::vector<std::string> list_tags(const Reference& repo);

  // Copies the image (or the index and every image it lists) `src` names to `dst`, preserving the digest. Within
  // one registry every blob is mounted; across registries blobs stream from GET to upload without touching disk.
  // The top manifest is put under dst's tag (or digest).
  CopyResult copy_image(const Reference& src, const Reference& dst);
  // Puts the manifest `ref` names under each of `new_tags` in the same repository. Returns its digest.
  std::string tag_image(const Reference& ref, const std::vector<std::string>& new_tags);

  // Everything this client moved so far.
  TransferStats stats() const;

 private:
  enum class Outcome { mounted, uploaded };
  Outcome upload_once(const Reference& repo, const BodySource& body, const std::string& digest,
                      const std::string& mount_from, BlobMeter& meter);
  TransferStats put_blob(const Reference& repo, const BodySource& body, const std::string& digest,
                         const std::string& mount_from);
  void copy_tree(const Reference& src, const Reference& dst, const Manifest& m, TransferStats& stats);
  void record(const TransferStats& s);
  // Runs job(i) for i in [0, n) on up to options.parallelism threads; rethrows the first failure.
  void parallel_for(std::size_t n, const std::function<void(std::size_t)>& job);

  Session session_;
  mutable std::mutex stats_mutex_;
  TransferStats total_;
};

}  // namespace hoist::registry
