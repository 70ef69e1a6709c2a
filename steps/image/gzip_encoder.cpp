// See gzip_encoder.hpp for how the blocks are cut and joined.
#include "steps/image/gzip_encoder.hpp"

#include <zlib.h>

#include <cstdint>
#include <string>

#include "runner/util/errors.hpp"

namespace hoist::image {
namespace {

// One raw-deflate state, ended by its owner.
class Deflater {
 public:
  explicit Deflater(int level) {
    if (deflateInit2(&zs_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw Error("cannot initialise zlib");
  }
  ~Deflater() { deflateEnd(&zs_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  z_stream* get() { return &zs_; }

 private:
  z_stream zs_{};
};

// A block is looked at in chunks of this size, each either deflated or stored.
constexpr std::size_t kChunk = 16 * 1024;

// Whether deflate at a fast level would gain next to nothing on `data`: its byte histogram is so flat (chi-square
// against uniform below n/36, i.e. order-0 entropy above ~7.98 bits per byte; random bytes give about 255, well
// under 16384/36 = 455) that Huffman coding saves under 0.3 % and matches are as rare as in random data. Such
// chunks (compressed or encrypted files, random test data) are stored: deflate costs twice the time of text on
// them and gains nothing. Integer arithmetic only, so the choice (and the digest) is the same on every machine.
bool incompressible(const unsigned char* data, std::size_t size) {
  if (size < kChunk) return false;
  const std::uint64_t n = size;
  std::uint64_t counts[256] = {};
  for (std::size_t i = 0; i < size; ++i) ++counts[data[i]];
  // S = sum (256 c - n)^2 = 256^2 * sum (c - n/256)^2, so chi-square = S / (256 n); S <= 65280 n^2 (< 2^45 here).
  std::uint64_t s = 0;
  for (std::uint64_t c : counts) {
    const std::int64_t d = static_cast<std::int64_t>(256 * c) - static_cast<std::int64_t>(n);
    s += static_cast<std::uint64_t>(d * d);
  }
  return s * 36 < 256 * n * n;  // chi-square < n / 36
}

}  // namespace

struct GzipEncoder::Block {
  std::vector<unsigned char> input;
  std::vector<unsigned char> dictionary;
  bool last = false;
  std::vector<unsigned char> output;
  unsigned long crc = 0;
  std::exception_ptr error;
  bool done = false;  // guarded by the encoder's mutex_

  // Deflates `input` chunk by chunk, switching between `level` and stored (deflateParams, which ends the deflate
  // block at the switch) where a chunk is incompressible().
  void compress(int level) {
    crc = crc32(0L, input.data(), static_cast<uInt>(input.size()));
    Deflater d(level);
    z_stream* zs = d.get();
    if (!dictionary.empty() &&
        deflateSetDictionary(zs, dictionary.data(), static_cast<uInt>(dictionary.size())) != Z_OK)
      throw Error("zlib: cannot set the dictionary");
    output.resize(deflateBound(zs, static_cast<uLong>(input.size())) + 64);
    zs->next_out = output.data();
    zs->avail_out = static_cast<uInt>(output.size());
    auto grow = [&] {
      std::size_t used = output.size() - zs->avail_out;
      output.resize(output.size() * 2);
      zs->next_out = output.data() + used;
      zs->avail_out = static_cast<uInt>(output.size() - used);
    };
    int current = level;
    for (std::size_t at = 0; at < input.size(); at += kChunk) {
      const std::size_t size = std::min(kChunk, input.size() - at);
      const int wanted = level > 0 && incompressible(input.data() + at, size) ? 0 : level;
      while (wanted != current) {
        int rc = deflateParams(zs, wanted, Z_DEFAULT_STRATEGY);
        if (rc == Z_OK) current = wanted;
        else if (rc == Z_BUF_ERROR && output.size() < 4 * input.size() + (1u << 20)) grow();
        else throw Error("zlib deflateParams failed");
      }
      zs->next_in = input.data() + at;
      zs->avail_in = static_cast<uInt>(size);
      while (zs->avail_in > 0) {
        if (deflate(zs, Z_NO_FLUSH) == Z_STREAM_ERROR) throw Error("zlib deflate failed");
        if (zs->avail_out == 0) grow();
      }
    }
    const int flush = last ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
      int rc = deflate(zs, flush);
      if (rc == Z_STREAM_ERROR) throw Error("zlib deflate failed");
      bool complete = last ? rc == Z_STREAM_END : zs->avail_out > 0;
      if (complete) break;
      grow();
    }
    output.resize(output.size() - zs->avail_out);
  }
};

GzipEncoder::GzipEncoder(int level, Sink sink, unsigned threads)
    : level_(level), sink_(std::move(sink)), crc_(crc32(0L, Z_NULL, 0)) {
  if (level < 0 || level > 9) throw InputError("gzip level must be 0..9, got " + std::to_string(level));
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  max_in_flight_ = 2 * threads;
  current_.reserve(kBlockSize);
  // zlib's XFL: 2 for the best compression, 4 for the fastest, 0 otherwise.
  unsigned char xfl = level == 9 ? 2 : level < 2 ? 4 : 0;
  const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 0xff};
  sink_(header, sizeof header);
  if (threads > 1)
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { worker(); });
}

GzipEncoder::~GzipEncoder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& t : workers_) t.join();
}

void GzipEncoder::worker() {
  for (;;) {
    std::shared_ptr<Block> block;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      block = queue_.front();
      queue_.pop_front();
    }
    try {
      block->compress(level_);
    } catch (...) {
      block->error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      block->done = true;
    }
    block_done_.notify_all();
  }
}

void GzipEncoder::write(const void* data, std::size_t size) {
  if (finished_) throw Error("gzip: write after finish");
  const auto* p = static_cast<const unsigned char*>(data);
  while (size > 0) {
    std::size_t take = std::min(size, kBlockSize - current_.size());
    current_.insert(current_.end(), p, p + take);
    p += take;
    size -= take;
    if (current_.size() == kBlockSize) submit(false);
  }
}

void GzipEncoder::finish() {
  if (finished_) return;
  submit(true);
  emit_until(0);
  finished_ = true;
  unsigned char trailer[8];
  unsigned long isize = static_cast<unsigned long>(total_in_ & 0xffffffffu);
  for (int i = 0; i < 4; ++i) {
    trailer[i] = static_cast<unsigned char>(crc_ >> (8 * i));
    trailer[4 + i] = static_cast<unsigned char>(isize >> (8 * i));
  }
  sink_(trailer, sizeof trailer);
}

void GzipEncoder::submit(bool last) {
  auto block = std::make_shared<Block>();
  block->input.swap(current_);
  block->dictionary = dictionary_;
  block->last = last;
  const auto& in = block->input;
  if (in.size() >= kDictionarySize) dictionary_.assign(in.end() - kDictionarySize, in.end());
  current_.clear();
  current_.reserve(kBlockSize);
  total_in_ += in.size();

  if (workers_.empty()) {
    block->compress(level_);
    block->done = true;
    in_flight_.push_back(block);
  } else {
    in_flight_.push_back(block);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(block);
    }
    work_ready_.notify_one();
  }
  emit_until(max_in_flight_ - 1);
}

// Hands finished blocks to the sink in order, waiting for the oldest while more than `max_in_flight` are out.
void GzipEncoder::emit_until(std::size_t max_in_flight) {
  while (!in_flight_.empty()) {
    std::shared_ptr<Block> front = in_flight_.front();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (in_flight_.size() <= max_in_flight && !front->done) return;
      block_done_.wait(lock, [&] { return front->done; });
    }
    in_flight_.pop_front();
    if (front->error) std::rethrow_exception(front->error);
    crc_ = crc32_combine(crc_, front->crc, static_cast<z_off_t>(front->input.size()));
    sink_(front->output.data(), front->output.size());
  }
}

}  // namespace hoist::image
