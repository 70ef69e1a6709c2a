#pragma once
// How a layer's tar is compressed: gzip (every registry and runtime reads it; the default) or zstd (smaller and
// faster, application/vnd.oci.image.layer.v1.tar+zstd, read by containerd ≥ 1.5 and podman). Both encoders take
// bytes and hand compressed bytes to a sink, on all cores, with output that does not depend on the thread count.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace hoist::image {

enum class Compression { gzip, zstd };

std::string_view to_string(Compression c);
// "gzip" or "zstd"; throws hoist::InputError otherwise.
Compression parse_compression(std::string_view text);
// The levels each accepts: gzip 0..9, zstd 1..19. Default for both: 1 (fast).
int min_level(Compression c);
int max_level(Compression c);

class Encoder {
 public:
  using Sink = std::function<void(const unsigned char* data, std::size_t size)>;
  virtual ~Encoder() = default;
  virtual void write(const void* data, std::size_t size) = 0;
  virtual void finish() = 0;  // no write() afterwards
};

// Throws hoist::InputError for a level out of range. `threads` 0: one per core.
std::unique_ptr<Encoder> make_encoder(Compression c, int level, Encoder::Sink sink, unsigned threads);

}  // namespace hoist::image
