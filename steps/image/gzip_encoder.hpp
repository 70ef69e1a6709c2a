#pragma once
// A streaming gzip encoder that compresses on all cores and still gives the same bytes on any machine.
//
// gzip on one core is the bottleneck of building a layer, so the tar stream is cut into fixed 128 KiB blocks and
// each block is deflated on its own, pigz-style: a fresh raw-deflate state primed (deflateSetDictionary) with the
// last 32 KiB of the block before it, so matches still reach back across the cut; each block but the last ends
// with Z_SYNC_FLUSH (an empty stored block that byte-aligns the output), the last with Z_FINISH. The blocks'
// outputs, concatenated in order, form one valid deflate stream; the CRC-32 of the whole input is combined from
// the blocks' CRCs (crc32_combine). Around it goes a fixed gzip header (no name, mtime 0, XFL as zlib sets it for
// the level, OS byte 255 "unknown", as Go's compress/gzip writes it) and the trailer (CRC-32, size mod 2^32).
//
// Within a block, each 16 KiB chunk whose bytes are as flat as random data (compressed or encrypted files) is
// stored, not deflated: deflate would cost about twice the time of text for no gain (incompressible() in the .cpp).
//
// A block's output depends only on its bytes, the 32 KiB before it, and the level, never on which thread ran it
// or how many there were: `threads` changes the speed, not the digest. At most 2 × threads blocks are in flight,
// so memory stays flat (about 2 × threads × 256 KiB) however long the stream. Compressed bytes reach the sink in
// order, on the caller's thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "steps/image/compression.hpp"

namespace hoist::image {

class GzipEncoder : public Encoder {
 public:
  static constexpr int kDefaultLevel = 1;                 // fast: compression is the bottleneck of a build
  static constexpr std::size_t kBlockSize = 128 * 1024;   // a change of this changes every digest
  static constexpr std::size_t kDictionarySize = 32 * 1024;

  // `level` 0..9; `threads` 0 means one per core. Throws hoist::InputError for a bad level.
  GzipEncoder(int level, Sink sink, unsigned threads = 0);
  ~GzipEncoder() override;  // stops the workers; never throws
  GzipEncoder(const GzipEncoder&) = delete;
  GzipEncoder& operator=(const GzipEncoder&) = delete;

  void write(const void* data, std::size_t size) override;
  void finish() override;  // writes the last block and the trailer

 private:
  struct Block;
  void submit(bool last);
  void emit_until(std::size_t max_in_flight);
  void worker();

  int level_;
  Sink sink_;
  std::vector<unsigned char> current_;
  std::vector<unsigned char> dictionary_;  // the last kDictionarySize bytes of the previous block
  unsigned long crc_;
  unsigned long long total_in_ = 0;
  bool finished_ = false;
  std::size_t max_in_flight_;

  std::deque<std::shared_ptr<Block>> in_flight_;  // in stream order; the caller's thread only
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable block_done_;
  std::deque<std::shared_ptr<Block>> queue_;      // waiting for a worker; guarded by mutex_
  bool stopping_ = false;                         // guarded by mutex_
  std::vector<std::thread> workers_;
};

}  // namespace hoist::image
