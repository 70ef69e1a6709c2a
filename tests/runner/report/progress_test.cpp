// Blob progress, piece by piece: sizes and rates in words, the one-line descriptions, the bar fitted to a terminal,
// the meter's throttle, and the text reporter's in-place redraw with a log line printed while blobs upload. The
// whole thing under a real pseudo-terminal is tests/runner/report/progress_tty_test.cpp.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "runner/report/hub.hpp"
#include "runner/report/json.hpp"
#include "runner/report/live_bars.hpp"
#include "runner/report/text.hpp"
#include "runner/util/byte_size.hpp"
#include "steps/registry/blob_meter.hpp"

using namespace hoist;
using namespace std::chrono_literals;

namespace {

const std::string kDigestA = "sha256:aaaaaaaaaaaa" + std::string(52, '1');
const std::string kDigestB = "sha256:bbbbbbbbbbbb" + std::string(52, '2');

BlobProgress tick(const std::string& digest, std::uint64_t sent, std::uint64_t total, double rate) {
  BlobProgress p;
  p.digest = digest;
  p.sent = sent;
  p.total = total;
  p.rate = rate;
  return p;
}

BlobProgress done(BlobProgress::State state, const std::string& digest, std::uint64_t total,
                  std::chrono::milliseconds elapsed, double rate) {
  BlobProgress p = tick(digest, total, total, rate);
  p.state = state;
  p.elapsed = elapsed;
  return p;
}

Step step_named(const std::string& id) {
  Step s;
  s.id = id;
  s.kind = "image/build";
  return s;
}

}  // namespace

TEST_CASE("progress: sizes and rates in words", "[progress]") {
  CHECK(human_size(0) == "0 B");
  CHECK(human_size(1023) == "1023 B");
  CHECK(human_size(1536) == "1.5 KiB");
  CHECK(human_size(12'897'485) == "12.3 MiB");
  CHECK(human_size(3ULL << 30) == "3.0 GiB");
  CHECK(human_rate(47'185'920) == "45.0 MiB/s");
  CHECK(human_rate(0) == "-");
  CHECK(human_rate(-1) == "-");
}

TEST_CASE("progress: one line per finished blob says what happened with size, time and rate", "[progress]") {
  CHECK(describe(done(BlobProgress::State::pushed, kDigestA, 12'897'485, 310ms, 41'604'790)) ==
        "pushed sha256:aaaaaaaaaaaa 12.3 MiB in 310ms (39.7 MiB/s)");
  CHECK(describe(done(BlobProgress::State::mounted, kDigestA, 2048, 0ms, 0)) ==
        "mounted sha256:aaaaaaaaaaaa 2.0 KiB (from another repository)");
  CHECK(describe(done(BlobProgress::State::skipped, kDigestA, 100, 0ms, 0)) ==
        "skipped sha256:aaaaaaaaaaaa 100 B (already there)");
  BlobProgress failed = tick(kDigestA, 3 << 20, 12 << 20, 0);
  failed.state = BlobProgress::State::failed;
  CHECK(describe(failed) == "failed sha256:aaaaaaaaaaaa after 3.0 MiB of 12.0 MiB");
}

TEST_CASE("progress: a bar fits the terminal, shrinking and then leaving out the bar itself", "[progress]") {
  BlobProgress p = tick(kDigestA, 5 << 20, 10 << 20, 4.5 * (1 << 20));
  std::string wide = progress_bar_line("↑ image", p, 120);
  CHECK(wide == "↑ image sha256:aaaaaaaaaaaa [===================>                    ] 5.0 MiB / 10.0 MiB 4.5 MiB/s");
  std::string narrow = progress_bar_line("↑ image", p, 72);
  CHECK(display_width(narrow) == 71);
  CHECK_THAT(narrow, Catch::StartsWith("↑ image sha256:aaaaaaaaaaaa [") && Catch::EndsWith("] 5.0 MiB / 10.0 MiB 4.5 MiB/s"));
  CHECK(progress_bar_line("↑ image", p, 60) == "↑ image sha256:aaaaaaaaaaaa 5.0 MiB / 10.0 MiB 4.5 MiB/s");
  CHECK(progress_bar_line("↑ image", p, 20) == "↑ image sha256:aaaa");
  CHECK(display_width(progress_bar_line("↑ image", p, 20)) == 19);
  CHECK_THAT(progress_bar_line("↑ image", tick(kDigestA, 10, 10, 0), 120), Catch::Contains("[========================================] 10 B / 10 B -"));
}

TEST_CASE("progress: the meter throttles upload ticks and always shows the last one before pushed", "[progress]") {
  std::vector<BlobProgress> seen;
  auto now = std::chrono::steady_clock::time_point{};
  registry::BlobMeter meter([&](const BlobProgress& p) { seen.push_back(p); }, kDigestA, 1000, 100ms,
                            [&] { return now; });
  meter.start();
  for (int i = 1; i <= 50; ++i) {  // libcurl calls every 10ms for half a second
    now += 10ms;
    meter.sent(static_cast<std::uint64_t>(i * 19));
  }
  // The first bytes at once (10ms), then at most one tick per 100ms: 110, 210, 310, 410ms.
  REQUIRE(seen.size() == 5);
  CHECK(seen[0].sent == 19);
  CHECK(seen[1].sent == 19 * 11);
  CHECK(seen[1].elapsed == 110ms);
  CHECK(seen[1].rate == Approx(19 * 11 / 0.110));
  for (const auto& p : seen) CHECK(p.state == BlobProgress::State::uploading);
  now += 5ms;
  meter.finish(BlobProgress::State::pushed);
  REQUIRE(seen.size() == 7);
  CHECK(seen[5].state == BlobProgress::State::uploading);
  CHECK(seen[5].sent == 1000);
  CHECK(seen[6].state == BlobProgress::State::pushed);
  CHECK(seen[6].sent == 1000);
  CHECK(seen[6].elapsed == 505ms);
  CHECK(seen[6].rate == Approx(1000 / 0.505));

  SECTION("a retried upload counts from zero again") {
    meter.start();
    now += 10ms;
    meter.sent(7);
    CHECK(seen.back().sent == 7);
    CHECK(seen.back().elapsed == 10ms);
  }
  SECTION("skipped and mounted blobs have no time or rate") {
    registry::BlobMeter other([&](const BlobProgress& p) { seen.push_back(p); }, kDigestB, 5, 100ms, [&] { return now; });
    now += 1s;
    other.finish(BlobProgress::State::skipped);
    CHECK(seen.back().state == BlobProgress::State::skipped);
    CHECK(seen.back().elapsed == 0ms);
    CHECK(seen.back().rate == 0);
  }
}

TEST_CASE("progress: on a terminal bars are redrawn in place and a log line goes above them", "[progress]") {
  std::ostringstream out;
  TextReporter text(out, TextStyle::tty_no_colour, [] { return 100; });
  Step image = step_named("image");
  text.blob_progress(image, tick(kDigestA, 1 << 20, 4 << 20, 2 << 20));
  const std::string bar_a1 = progress_bar_line("↑ image", tick(kDigestA, 1 << 20, 4 << 20, 2 << 20), 100);
  CHECK(out.str() == bar_a1 + "\n");  // nothing on screen yet: just drawn

  out.str("");
  text.blob_progress(image, tick(kDigestB, 512, 2048, 1024));
  const std::string bar_b1 = progress_bar_line("↑ image", tick(kDigestB, 512, 2048, 1024), 100);
  CHECK(out.str() == "\r\033[1A\033[J" + bar_a1 + "\n" + bar_b1 + "\n");

  out.str("");
  text.step_output(image, "built 2 layer(s)", OutputStream::out);  // printed while both upload
  CHECK(out.str() == "\r\033[2A\033[Jimage │ built 2 layer(s)\n" + bar_a1 + "\n" + bar_b1 + "\n");

  out.str("");
  text.blob_progress(image, tick(kDigestA, 3 << 20, 4 << 20, 2 << 20));  // bar A moves, keeps its place
  const std::string bar_a2 = progress_bar_line("↑ image", tick(kDigestA, 3 << 20, 4 << 20, 2 << 20), 100);
  CHECK(out.str() == "\r\033[2A\033[J" + bar_a2 + "\n" + bar_b1 + "\n");

  out.str("");
  text.blob_progress(image, done(BlobProgress::State::pushed, kDigestA, 4 << 20, 2s, 2 << 20));
  CHECK(out.str() == "\r\033[2A\033[J✓ image pushed sha256:aaaaaaaaaaaa 4.0 MiB in 2s (2.0 MiB/s)\n" + bar_b1 + "\n");

  out.str("");
  StepResult r;
  r.id = "image";
  r.status = StepStatus::failed;
  r.reason = "registry gone";
  r.attempts = 1;
  text.step_finished(image, r);  // B never finished: its bar goes with the step
  CHECK(out.str() == "\r\033[1A\033[J✗ image failed in 0ms: registry gone\n");
  out.str("");
  text.step_output(image, "after", OutputStream::out);
  CHECK(out.str() == "image │ after\n");  // nothing left to erase
}

TEST_CASE("progress: colours on a colour terminal, never inside the bar", "[progress]") {
  std::ostringstream out;
  TextReporter text(out, TextStyle::tty, [] { return 100; });
  Step image = step_named("image");
  text.blob_progress(image, tick(kDigestA, 1, 4, 1));
  CHECK(out.str().find('\033') == std::string::npos);
  text.blob_progress(image, done(BlobProgress::State::mounted, kDigestA, 4, 0ms, 0));
  CHECK_THAT(out.str(), Catch::Contains("\033[32m✓ image\033[0m mounted sha256:aaaaaaaaaaaa 4 B (from another repository)\n"));
}

TEST_CASE("progress: plain output has one line per finished blob and no bars", "[progress]") {
  std::ostringstream out;
  ReporterHub hub;
  hub.add(std::make_unique<TextReporter>(out, TextStyle::plain, [] { return 100; }));
  Step image = step_named("image");
  hub.blob_progress(image, tick(kDigestA, 1, 4, 1));
  hub.blob_progress(image, done(BlobProgress::State::pushed, kDigestA, 4, 20ms, 200));
  hub.blob_progress(image, done(BlobProgress::State::skipped, kDigestB, 9, 0ms, 0));
  CHECK(out.str() == "[image] ✓ pushed sha256:aaaaaaaaaaaa 4 B in 20ms (200 B/s)\n"
                     "[image] – skipped sha256:bbbbbbbbbbbb 9 B (already there)\n");

  SECTION("the step's log keeps the finished blobs for JUnit") {
    StepResult r;
    r.id = "image";
    std::vector<std::string> lines;
    struct Keep : Reporter {
      std::vector<std::string>* lines;
      void step_finished(const Step&, const StepResult& result) override { *lines = result.output_lines; }
    };
    auto keep = std::make_unique<Keep>();
    keep->lines = &lines;
    hub.add(std::move(keep));
    hub.step_finished(image, r);
    CHECK(lines == std::vector<std::string>{"pushed sha256:aaaaaaaaaaaa 4 B in 20ms (200 B/s)",
                                            "skipped sha256:bbbbbbbbbbbb 9 B (already there)"});
  }
}

TEST_CASE("progress: JSON has one event per finished blob, none per tick", "[progress]") {
  std::ostringstream out;
  JsonLinesReporter json_out(out, [] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(0)); });
  Step image = step_named("image");
  json_out.blob_progress(image, tick(kDigestA, 1, 4, 1));
  json_out.blob_progress(image, done(BlobProgress::State::pushed, kDigestA, 4096, 20ms, 204800));
  json_out.blob_progress(image, done(BlobProgress::State::mounted, kDigestB, 9, 0ms, 0));
  std::istringstream lines(out.str());
  std::vector<nlohmann::json> events;
  for (std::string line; std::getline(lines, line);) events.push_back(nlohmann::json::parse(line));
  REQUIRE(events.size() == 2);
  CHECK(events[0]["event"] == "blob");
  CHECK(events[0]["step"] == "image");
  CHECK(events[0]["digest"] == kDigestA);
  CHECK(events[0]["result"] == "pushed");
  CHECK(events[0]["bytes"] == 4096);
  CHECK(events[0]["duration_ms"] == 20);
  CHECK(events[0]["bytes_per_second"] == 204800);
  CHECK(events[1]["result"] == "mounted");
}
