// The block-parallel gzip encoder: valid gzip that standard tools read, and the same bytes for any thread count.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "steps/image/gzip_encoder.hpp"
#include "tests/support/command.hpp"

using namespace hoist;
using namespace hoist::image;

namespace {

std::string gzip(const std::string& data, int level, unsigned threads, std::size_t piece = 7777) {
  std::string out;
  auto sink = [&](const unsigned char* p, std::size_t n) { out.append(reinterpret_cast<const char*>(p), n); };
  GzipEncoder enc(level, sink, threads);
  for (std::size_t i = 0; i < data.size(); i += piece) enc.write(data.data() + i, std::min(piece, data.size() - i));
  enc.finish();
  return out;
}

std::string gunzip(const std::string& gz) {
  auto r = test::run_command(test::Command{{"gzip", "-dc"}, {}, {}, "", gz});
  INFO(r.err);
  REQUIRE(r.ok());
  return r.out;
}

// Text that compresses (with repeats reaching across block boundaries) mixed with random bytes that do not.
std::string sample(std::size_t size) {
  std::mt19937 rng(42);
  std::string s;
  while (s.size() < size) {
    if (rng() % 3 == 0) {
      for (int i = 0; i < 5000; ++i) s += static_cast<char>(rng());
    } else {
      s += "line " + std::to_string(rng() % 1000) + " of a fairly repetitive log file\n";
    }
  }
  s.resize(size);
  return s;
}

}  // namespace

TEST_CASE("gzip: standard gzip reads it back, threads never change the bytes", "[image]") {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, GzipEncoder::kBlockSize, GzipEncoder::kBlockSize + 1,
                           std::size_t{5 * GzipEncoder::kBlockSize + 12345}}) {
    INFO("size " << size);
    std::string data = sample(size);
    std::string one = gzip(data, 1, 1);
    CHECK(gunzip(one) == data);
    CHECK(gzip(data, 1, 4) == one);
    CHECK(gzip(data, 1, 3, 1 << 20) == one);  // and neither does how the caller slices its writes
    std::string best = gzip(data, 9, 2);
    CHECK(gunzip(best) == data);
    CHECK(best[8] == 2);  // XFL: best compression
  }
  auto t = test::run_command(test::Command{{"gzip", "-t"}, {}, {}, "", gzip(sample(1 << 20), 6, 4)});
  CHECK(t.ok());
}

TEST_CASE("gzip: the 32 KiB dictionary keeps the ratio close to a single stream", "[image]") {
  std::string data;
  for (int i = 0; i < 20000; ++i) data += "GET /api/v1/items/" + std::to_string(i % 97) + " 200\n";
  std::string blocks = gzip(data, 6, 4);
  auto single = test::run_command(test::Command{{"gzip", "-6", "-c", "-n"}, {}, {}, "", data});
  REQUIRE(single.ok());
  CHECK(gunzip(blocks) == data);
  CHECK(blocks.size() < single.out.size() * 11 / 10);
}

TEST_CASE("gzip: blocks as flat as random data are stored, text is still compressed", "[image]") {
  std::mt19937 rng(7);
  std::string random_bytes;
  while (random_bytes.size() < 4 * GzipEncoder::kBlockSize) random_bytes += static_cast<char>(rng());
  std::string text;
  while (text.size() < 4 * GzipEncoder::kBlockSize) text += "key: value " + std::to_string(rng() % 50) + "\n";
  const std::string both = random_bytes + text;

  // Stored: the output is the input plus the gzip frame and 5 bytes per stored block (at most 64 KiB each), where
  // deflate at level 1 would be larger still (Huffman codes for literals that do not repeat).
  std::string stored = gzip(random_bytes, 1, 2);
  CHECK(gunzip(stored) == random_bytes);
  CHECK(stored.size() <= random_bytes.size() + 18 + 5 * (random_bytes.size() / 65535 + 2) * 4);
  CHECK(stored.size() >= random_bytes.size());

  std::string mixed = gzip(both, 1, 3);
  CHECK(gunzip(mixed) == both);
  CHECK(mixed.size() < random_bytes.size() + text.size() / 3);  // the text half still compresses
  CHECK(gzip(both, 1, 1) == mixed);                               // and threads still change nothing
}
