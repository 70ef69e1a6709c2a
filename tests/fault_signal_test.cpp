// Faults in the middle of work: SIGTERM while an image's blob upload is in flight (held by the fault proxy in front
// of a real registry) ends hoist with exit code 130, and the registry never gets the tag — no tag points at an
// incomplete image.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "runner/subprocess.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/fault_proxy.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
namespace fs = std::filesystem;

namespace {

// Waits up to `limit` for `done`; false when it never held.
template <typename F>
bool wait_until(F done, std::chrono::seconds limit = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace

TEST_CASE("SIGTERM while a blob upload is in flight: exit 130, and no tag is written", "[faults]") {
  test::RegistryServer reg;
  test::FaultProxy proxy(reg.host());
  test::FaultProxy::Rule hold;
  hold.method = "PATCH";
  hold.path_contains = "/blobs/uploads/";
  hold.hold = true;
  proxy.add_rule(hold);

  test::TempDir dir;
  fs::create_directories(dir / "app");
  std::ofstream(dir / "app/server") << std::string(256 * 1024, 'x');
  const std::string image = proxy.host() + "/" + reg.ns() + "/app";

  // bash starts hoist, waits for the go file (the upload is being held), sends SIGTERM, gives hoist a moment to see
  // it, tells us to release the upload, and reports hoist's exit code.
  const std::string go = dir.file("go"), released = dir.file("released");
  std::string script = std::string(HOIST_BINARY) + " image build --base scratch --image " + image +
                       " --tag v1 --layer app:/app & pid=$!\n"
                       "for i in $(seq 1200); do [ -e " + go + " ] && break; sleep 0.05; done\n"
                       "kill -TERM $pid; sleep 0.5; touch " + released + "; wait $pid; echo \"exit=$?\"\n";
  ProcessSpec spec;
  spec.argv = {"bash", "-c", script};
  spec.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", dir.path().string()}, {"CI", "true"},
              {"HOIST_CACHE", dir.file("cache")}};
  spec.working_dir = dir.path().string();
  spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  std::string out;
  std::thread runner([&] {
    CancelToken never;
    PosixProcessRunner().run(spec, [&](std::string_view line, OutputStream) { out += std::string(line) + "\n"; },
                             never);
  });
  bool held = wait_until([&] { return proxy.held() > 0; });
  std::ofstream(go) << "";
  wait_until([&] { return fs::exists(released); });
  proxy.release();
  runner.join();
  INFO(out);
  REQUIRE(held);
  CHECK_THAT(out, Catch::Contains("exit=130"));

  registry::RegistryClient client;
  CHECK_THROWS(client.get_manifest(registry::parse_reference(reg.image("app") + ":v1")));
}
