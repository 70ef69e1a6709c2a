// Copy and tag (see client.hpp).
//
// Copy walks the source manifest: an index is copied child by child (each child manifest put by digest after its
// blobs) and put last, so the destination never names a manifest whose blobs are missing. Blobs move in parallel:
// present at the destination -> skipped; same registry -> mounted from the source repository (zero bytes); else
// streamed. Streaming connects a GET and an upload through a small bounded buffer on two threads: the download
// thread is started by the body's open(), so when the upload is retried from the start, the download starts over
// too, and no blob ever touches the disk or sits in memory whole.

#include <condition_variable>
#include <cstring>
#include <algorithm>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "steps/registry/client.hpp"

namespace hoist::registry {
namespace {

// The blob at `repo`@`digest`, downloaded anew (and verified) for each reader.
class RemoteBlobBody : public BodySource {
 public:
  RemoteBlobBody(RegistryClient& client, Reference repo, std::string digest, std::uint64_t size)
      : client_(client), repo_(std::move(repo)), digest_(std::move(digest)), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::unique_ptr<BodyReader> open() const override;

 private:
  RegistryClient& client_;
  Reference repo_;
  std::string digest_;
  std::uint64_t size_;
};

class PipeReader : public BodyReader {
 public:
  static constexpr std::size_t kCapacity = 4 * 1024 * 1024;

  PipeReader(RegistryClient& client, const Reference& repo, const std::string& digest) {
    producer_ = std::thread([this, &client, repo, digest] {
      std::exception_ptr error;
      try {
        client.get_blob(repo, digest, [this](std::string_view chunk) { push(chunk); });
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard lock(mutex_);
      done_ = true;
      error_ = abandoned_ ? nullptr : error;
      cv_.notify_all();
    });
  }
  ~PipeReader() override {
    {
      std::lock_guard lock(mutex_);
      abandoned_ = true;
      cv_.notify_all();
    }
    producer_.join();
  }

  size_t read(char* buffer, size_t n) override {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !chunks_.empty() || done_; });
    if (chunks_.empty()) {
      if (error_) std::rethrow_exception(error_);
      return 0;
    }
    size_t k = 0;
    while (k < n && !chunks_.empty()) {
      std::string& front = chunks_.front();
      size_t take = std::min(n - k, front.size() - offset_);
      std::memcpy(buffer + k, front.data() + offset_, take);
      k += take;
      offset_ += take;
      if (offset_ == front.size()) {
        buffered_ -= front.size();
        chunks_.pop_front();
        offset_ = 0;
      }
    }
    cv_.notify_all();
    return k;
  }

 private:
  void push(std::string_view chunk) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return buffered_ < kCapacity || abandoned_; });
    if (abandoned_) throw Error("download abandoned");
    chunks_.emplace_back(chunk);
    buffered_ += chunk.size();
    cv_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> chunks_;  // received, not yet read
  size_t offset_ = 0;                // into chunks_.front()
  size_t buffered_ = 0;              // bytes in chunks_
  bool done_ = false;
  bool abandoned_ = false;
  std::exception_ptr error_;
  std::thread producer_;
};

std::unique_ptr<BodyReader> RemoteBlobBody::open() const {
  return std::make_unique<PipeReader>(client_, repo_, digest_);
}

}  // namespace

void RegistryClient::copy_tree(const Reference& src, const Reference& dst, const Manifest& m, TransferStats& stats) {
  if (m.is_index()) {
    for (const auto& child : m.children()) {
      Manifest cm = get_manifest(src.with_digest(child.digest));
      copy_tree(src, dst, cm, stats);
      put_manifest(dst.with_digest(child.digest), cm);
      stats.manifests_put += 1;
    }
    return;
  }
  std::vector<Descriptor> blobs = m.blobs();
  bool same_registry = src.api_host() == dst.api_host();
  std::mutex stats_mutex;
  parallel_for(blobs.size(), [&](std::size_t i) {
    const Descriptor& d = blobs[i];
    RemoteBlobBody body(*this, src, d.digest, d.size);
    TransferStats s = put_blob(dst, body, d.digest, same_registry && src.repository != dst.repository ? src.repository : "");
    std::lock_guard lock(stats_mutex);
    stats += s;
  });
}

CopyResult RegistryClient::copy_image(const Reference& src, const Reference& dst) {
  CopyResult result;
  Manifest m = get_manifest(src);
  TransferStats blob_stats;
  copy_tree(src, dst, m, blob_stats);
  Reference target = dst;
  if (target.tag.empty() && target.digest.empty()) target.digest = m.digest;
  result.digest = put_manifest(target, m);
  blob_stats.manifests_put += 1;
  TransferStats blobs_only = blob_stats;
  blobs_only.manifests_put = 0;  // put_manifest recorded those already
  record(blobs_only);
  result.stats = blob_stats;
  return result;
}

std::string RegistryClient::tag_image(const Reference& ref, const std::vector<std::string>& new_tags) {
  Manifest m = get_manifest(ref);
  for (const auto& tag : new_tags) put_manifest(ref.with_tag(tag), m);
  return m.digest;
}

}  // namespace hoist::registry
