#pragma once
// A streaming gzip encoder over zlib with a fixed header (no file name, mtime 0, OS byte 255 "unknown", as Go's
// compress/gzip writes it for docker and containerd), so the same tar bytes and level give the same blob on any
// machine. Compressed bytes are handed to a sink as they come; nothing is buffered beyond one output chunk.

#include <zlib.h>

#include <cstddef>
#include <functional>
#include <vector>

namespace hoist::image {

class GzipEncoder {
 public:
  using Sink = std::function<void(const unsigned char* data, std::size_t size)>;
  static constexpr int kDefaultLevel = 1;  // fast: compression is the bottleneck of a build

  // `level` 0..9 (Z_BEST_SPEED .. Z_BEST_COMPRESSION). Throws hoist::Error when zlib cannot start.
  GzipEncoder(int level, Sink sink);
  ~GzipEncoder();
  GzipEncoder(const GzipEncoder&) = delete;
  GzipEncoder& operator=(const GzipEncoder&) = delete;

  void write(const void* data, std::size_t size);
  void finish();  // writes the trailer; no write() afterwards

 private:
  void pump(int flush);

  z_stream zs_{};
  gz_header header_{};
  Sink sink_;
  std::vector<unsigned char> out_;
  bool finished_ = false;
};

}  // namespace hoist::image
