// See gzip_encoder.hpp.
#include "steps/image/gzip_encoder.hpp"

#include <string>

#include "runner/errors.hpp"

namespace hoist::image {

GzipEncoder::GzipEncoder(int level, Sink sink) : sink_(std::move(sink)), out_(1 << 17) {
  if (level < 0 || level > 9) throw InputError("gzip level must be 0..9, got " + std::to_string(level));
  // windowBits 15 + 16: a gzip wrapper instead of zlib's.
  if (deflateInit2(&zs_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("cannot initialise zlib");
  header_.os = 255;  // everything else zero: no name, no comment, no extra field, mtime 0
  if (deflateSetHeader(&zs_, &header_) != Z_OK) {
    deflateEnd(&zs_);
    throw Error("cannot set the gzip header");
  }
}

GzipEncoder::~GzipEncoder() { deflateEnd(&zs_); }

void GzipEncoder::write(const void* data, std::size_t size) {
  if (finished_) throw Error("gzip: write after finish");
  const auto* p = static_cast<const unsigned char*>(data);
  while (size > 0) {
    // avail_in is 32-bit; feed large buffers in pieces.
    uInt chunk = size > (1u << 30) ? (1u << 30) : static_cast<uInt>(size);
    zs_.next_in = const_cast<unsigned char*>(p);
    zs_.avail_in = chunk;
    pump(Z_NO_FLUSH);
    p += chunk;
    size -= chunk;
  }
}

void GzipEncoder::finish() {
  if (finished_) return;
  zs_.next_in = nullptr;
  zs_.avail_in = 0;
  pump(Z_FINISH);
  finished_ = true;
}

void GzipEncoder::pump(int flush) {
  for (;;) {
    zs_.next_out = out_.data();
    zs_.avail_out = static_cast<uInt>(out_.size());
    int rc = deflate(&zs_, flush);
    if (rc == Z_STREAM_ERROR) throw Error("zlib deflate failed");
    std::size_t produced = out_.size() - zs_.avail_out;
    if (produced > 0) sink_(out_.data(), produced);
    if (flush == Z_FINISH ? rc == Z_STREAM_END : (zs_.avail_in == 0 && zs_.avail_out != 0)) return;
  }
}

}  // namespace hoist::image
