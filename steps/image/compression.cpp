// See compression.hpp.
#include "steps/image/compression.hpp"

#include "runner/util/errors.hpp"
#include "steps/image/gzip_encoder.hpp"
#include "steps/image/zstd_encoder.hpp"

namespace hoist::image {

std::string_view to_string(Compression c) { return c == Compression::zstd ? "zstd" : "gzip"; }

Compression parse_compression(std::string_view text) {
  if (text == "gzip") return Compression::gzip;
  if (text == "zstd") return Compression::zstd;
  throw InputError("compression '" + std::string(text) + "' is not gzip or zstd");
}

int min_level(Compression c) { return c == Compression::zstd ? 1 : 0; }
int max_level(Compression c) { return c == Compression::zstd ? 19 : 9; }

std::unique_ptr<Encoder> make_encoder(Compression c, int level, Encoder::Sink sink, unsigned threads) {
  if (c == Compression::zstd) return std::make_unique<ZstdEncoder>(level, std::move(sink), threads);
  return std::make_unique<GzipEncoder>(level, std::move(sink), threads);
}

}  // namespace hoist::image
