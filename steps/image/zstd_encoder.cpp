// See zstd_encoder.hpp.
#include "steps/image/zstd_encoder.hpp"

#include <algorithm>
#include <string>
#include <thread>

#include "runner/util/errors.hpp"

namespace hoist::image {
namespace {

void check(size_t rc, const char* what) {
  if (ZSTD_isError(rc)) throw Error(std::string("zstd: ") + what + ": " + ZSTD_getErrorName(rc));
}

}  // namespace

ZstdEncoder::ZstdEncoder(int level, Sink sink, unsigned threads)
    : ctx_(ZSTD_createCCtx(), &ZSTD_freeCCtx), sink_(std::move(sink)), out_(ZSTD_CStreamOutSize()) {
  if (level < min_level(Compression::zstd) || level > max_level(Compression::zstd))
    throw InputError("zstd level must be 1..19, got " + std::to_string(level));
  if (!ctx_) throw Error("zstd: cannot create a context");
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  check(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_compressionLevel, level), "level");
  check(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_checksumFlag, 1), "checksum");
  check(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_contentSizeFlag, 0), "content size");
  check(ZSTD_CCtx_setParameter(ctx_.get(), ZSTD_c_nbWorkers, static_cast<int>(threads)),
        "this libzstd cannot compress with threads, and single-threaded output would differ");
}

void ZstdEncoder::write(const void* data, std::size_t size) {
  if (finished_) throw Error("zstd: write after finish");
  if (size > 0) pump(data, size, ZSTD_e_continue);
}

void ZstdEncoder::finish() {
  if (finished_) return;
  pump(nullptr, 0, ZSTD_e_end);
  finished_ = true;
}

void ZstdEncoder::pump(const void* data, std::size_t size, ZSTD_EndDirective mode) {
  ZSTD_inBuffer in{data, size, 0};
  for (;;) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    size_t remaining = ZSTD_compressStream2(ctx_.get(), &out, &in, mode);
    check(remaining, "compression failed");
    if (out.pos > 0) sink_(out_.data(), out.pos);
    if (mode == ZSTD_e_end ? remaining == 0 : in.pos == in.size) return;
  }
}

}  // namespace hoist::image
