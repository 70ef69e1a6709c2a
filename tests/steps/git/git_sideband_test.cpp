// The server's messages reach libgit2's sideband callback in fragments; SidebandLines (steps/git/sideband_lines.hpp)
// must turn any cut of them into the same whole lines.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "steps/git/sideband_lines.hpp"

using hoist::SidebandLines;

namespace {

// Feeds `text` cut into pieces of `size` bytes, then flushes; returns the lines in order.
std::vector<std::string> lines_of(const std::string& text, size_t size) {
  SidebandLines buffer;
  std::vector<std::string> out;
  auto emit = [&](std::string_view line) { out.emplace_back(line); };
  for (size_t at = 0; at < text.size(); at += size) buffer.feed(std::string_view(text).substr(at, size), emit);
  buffer.flush(emit);
  return out;
}

}  // namespace

TEST_CASE("sideband fragments become whole lines, at line feeds and carriage returns, whatever the cut", "[git]") {
  const std::string text = "Counting objects:  50% (1/2)\rCounting objects: 100% (2/2)\nqa is frozen until Monday\n"
                           "deploys need approval";
  const std::vector<std::string> expected = {"Counting objects:  50% (1/2)", "Counting objects: 100% (2/2)",
                                             "qa is frozen until Monday", "deploys need approval"};
  for (size_t size = 1; size <= text.size(); ++size) {
    INFO("pieces of " << size << " bytes");
    CHECK(lines_of(text, size) == expected);
  }
}

TEST_CASE("sideband: nothing is handed out before its line ends, the rest at flush, then it starts over", "[git]") {
  SidebandLines buffer;
  std::vector<std::string> out;
  auto emit = [&](std::string_view line) { out.emplace_back(line); };
  buffer.feed("qa is fro", emit);
  CHECK(out.empty());
  buffer.feed("zen\nsecond ha", emit);
  CHECK(out == std::vector<std::string>{"qa is frozen"});
  buffer.flush(emit);
  CHECK(out == std::vector<std::string>{"qa is frozen", "second ha"});
  buffer.flush(emit);  // nothing left
  buffer.feed("next transfer\n", emit);
  CHECK(out == std::vector<std::string>{"qa is frozen", "second ha", "next transfer"});
}

TEST_CASE("sideband: a line that never ends is handed out at the size limit", "[git]") {
  SidebandLines buffer;
  std::vector<std::string> out;
  auto emit = [&](std::string_view line) { out.emplace_back(line); };
  const std::string chunk(1000, 'x');
  for (size_t fed = 0; fed < SidebandLines::max_line; fed += chunk.size()) buffer.feed(chunk, emit);
  REQUIRE(out.size() == 1);
  CHECK(out[0].size() >= SidebandLines::max_line);
  CHECK(out[0].size() < SidebandLines::max_line + chunk.size());
}
