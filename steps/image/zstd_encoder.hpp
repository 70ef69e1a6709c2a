#pragma once
// A streaming zstd encoder over libzstd. zstd's own multi-threaded mode gives output that depends on the level
// and its job parameters but not on how many workers run, as long as there is at least one, so it always runs with
// nbWorkers ≥ 1: the same tar gives the same blob on a laptop and on a 64-core CI runner. The first call never
// passes ZSTD_e_end (which would switch to the one-shot path), frames carry no content size (the stream length is
// not known up front) and a content checksum.

#include <zstd.h>

#include <memory>
#include <vector>

#include "steps/image/compression.hpp"

namespace hoist::image {

class ZstdEncoder : public Encoder {
 public:
  ZstdEncoder(int level, Sink sink, unsigned threads);  // throws hoist::Error when libzstd lacks threads
  void write(const void* data, std::size_t size) override;
  void finish() override;

 private:
  void pump(const void* data, std::size_t size, ZSTD_EndDirective mode);

  std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> ctx_;
  Sink sink_;
  std::vector<unsigned char> out_;
  bool finished_ = false;
};

}  // namespace hoist::image
