// Blob progress end to end: `hoist image build` against a real registry (tests/support/RegistryServer), once on a
// pseudo-terminal (bars with bytes and a rate drawn in place, then a final line per blob, no bar left behind), once
// as CI runs it (one plain line per blob, no escape sequences), and once with --output json (one event per blob).

#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>

#include "runner/report/live_bars.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/pty_run.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using test::RegistryServer;

namespace {

// A build directory with 3 MiB that gzip cannot shrink, so the layer takes more than one write to upload.
struct Workspace {
  test::TempDir dir{"hoist-progress"};
  Workspace() {
    std::mt19937_64 random(42);
    std::string noise(3 << 20, '\0');
    for (auto& c : noise) c = static_cast<char>(random());
    test::write_tree_file(dir.path() / "build/app/data.bin", noise);
    fs::create_directories(dir / "docker");
  }
  std::map<std::string, std::string> env() const {
    return {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", dir.file("home")}, {"DOCKER_CONFIG", dir.file("docker")},
            {"HOIST_CACHE", dir.file("cache")}, {"SOURCE_DATE_EPOCH", "1700000000"}};
  }
  std::string build() const { return dir.file("build"); }
};

std::vector<std::string> build_args(const RegistryServer& server, const std::string& repo, const std::string& tag) {
  return {"image", "build", "--base", "scratch", "--image", server.image(repo), "--tag", tag, "--layer", "app:/app"};
}

size_t count(const std::string& text, const std::regex& re) {
  return static_cast<size_t>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

}  // namespace

TEST_CASE("progress: image build on a terminal draws bars in place, then one line per blob", "[progress][registry]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  auto env = ws.env();
  env["TERM"] = "xterm-256color";
  std::vector<std::string> argv{HOIST_BINARY};
  for (const auto& a : build_args(server, "app", "v1")) argv.push_back(a);
  test::PtyRun run = test::run_in_pty(argv, env, ws.build(), 90);
  const std::string& t = run.transcript;
  INFO(t);
  REQUIRE(run.code == 0);

  // Bars: the step, the blob, how far, of how much, how fast; each fits the 90 columns.
  const std::regex bar("↑ image sha256:[0-9a-f]{12} \\[[=> ]+\\] [0-9.]+ (B|KiB|MiB) / [0-9.]+ (B|KiB|MiB) "
                       "[0-9.]+ (B|KiB|MiB|GiB)/s");
  CHECK(count(t, std::regex("↑ image sha256:[0-9a-f]{12} \\[[=> ]+\\] [0-9.]+ MiB / 3\\.0 MiB [0-9.]+ (KiB|MiB|GiB)/s")) >= 1);
  const std::regex any_bar("↑ image [^\r\n\033]*");
  for (auto it = std::sregex_iterator(t.begin(), t.end(), any_bar); it != std::sregex_iterator(); ++it) {
    CHECK(display_width(it->str()) <= 89);
    CHECK(std::regex_match(it->str(), bar));
  }
  // Redrawn in place: back up over the bars and clear, never a bar left on screen after the last blob.
  CHECK(t.find("\r\033[1A\033[J") != std::string::npos);
  // The final state: both blobs (config and layer) pushed, with size, time and rate, in the step's colour.
  const std::regex pushed("\033\\[32m✓ image\033\\[0m pushed sha256:[0-9a-f]{12} [0-9.]+ (B|KiB|MiB) in [0-9.]+m?s "
                          "\\([0-9.]+ (B|KiB|MiB|GiB)/s\\)\r\n");
  CHECK(count(t, pushed) == 2);
  CHECK(count(t, std::regex("pushed sha256:[0-9a-f]{12} 3\\.0 MiB in")) == 1);
  const size_t last_pushed = t.rfind(" pushed sha256:");
  CHECK(t.find("↑ image", last_pushed) == std::string::npos);
  CHECK_THAT(t, Catch::Contains("summary: uploaded 2 blobs"));
  // Log lines are whole lines: each starts at the left edge, never inside a bar.
  CHECK(count(t, std::regex("\r\n\033\\[2mimage │\033\\[0m built 1 layer")) + count(t, std::regex("^\033\\[2mimage │\033\\[0m built 1 layer")) == 1);
}

TEST_CASE("progress: image build in CI prints one plain line per blob, JSON one event per blob", "[progress][registry]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  test::HoistRun first = test::run_hoist(build_args(server, "app", "v1"), ws.env(), ws.build());
  INFO(first.out << first.err);
  REQUIRE(first.code == 0);
  CHECK(first.all().find('\033') == std::string::npos);
  CHECK(count(first.out, std::regex("\\[image\\] ✓ pushed sha256:[0-9a-f]{12} [0-9.]+ (B|KiB|MiB) in [0-9.]+m?s "
                                    "\\([0-9.]+ (B|KiB|MiB|GiB)/s\\)\n")) == 2);
  CHECK(first.out.find("↑") == std::string::npos);

  test::HoistRun again = test::run_hoist(build_args(server, "app", "v2"), ws.env(), ws.build());
  INFO(again.out << again.err);
  REQUIRE(again.code == 0);
  CHECK(count(again.out, std::regex("\\[image\\] – skipped sha256:[0-9a-f]{12} [0-9.]+ (B|KiB|MiB) \\(already there\\)\n")) == 2);
  CHECK_THAT(again.out, Catch::Contains("uploaded 0 blobs (0 bytes), mounted 0, skipped 2"));

  auto args = build_args(server, "other", "v1");
  args.insert(args.end(), {"--output", "json"});
  test::HoistRun json_run = test::run_hoist(args, ws.env(), ws.build());
  INFO(json_run.out << json_run.err);
  REQUIRE(json_run.code == 0);
  std::istringstream lines(json_run.out);
  std::vector<nlohmann::json> blobs;
  for (std::string line; std::getline(lines, line);) {
    auto e = nlohmann::json::parse(line);
    if (e["event"] == "blob") blobs.push_back(e);
  }
  REQUIRE(blobs.size() == 2);
  for (const auto& b : blobs) {
    CHECK(b["step"] == "image");
    CHECK(b["result"] == "pushed");
    CHECK(b["sent"] == b["bytes"]);
    CHECK(b["bytes_per_second"].get<std::uint64_t>() > 0);
  }
}
