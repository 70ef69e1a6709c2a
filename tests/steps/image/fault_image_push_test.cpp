// Faults in the middle of an image push, with the fault proxy holding a blob upload in flight in front of a real
// registry: SIGTERM ends hoist with exit code 130; the registry dying fails the push clearly; either way the
// registry never gets the tag — no tag points at an incomplete image — and once the registry is back, the same build
// completes; a full disk under the layer cache fails the build before anything is pushed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include <signal.h>

#include "runner/process/subprocess.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/command.hpp"
#include "tests/support/fault_proxy.hpp"
#include "tests/support/hoist_binary.hpp"
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

// The first blob upload (PATCH) through `proxy` waits until proxy.release().
void hold_first_upload(test::FaultProxy& proxy) {
  test::FaultProxy::Rule hold;
  hold.method = "PATCH";
  hold.path_contains = "/blobs/uploads/";
  hold.hold = true;
  proxy.add_rule(hold);
}

}  // namespace

TEST_CASE("SIGTERM while a blob upload is in flight: exit 130, and no tag is written", "[faults]") {
  test::RegistryServer reg;
  test::FaultProxy proxy(reg.host());
  hold_first_upload(proxy);

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

TEST_CASE("the registry dying in the middle of a push fails clearly, leaves no tag, and a rerun completes", "[faults]") {
  test::RegistryServer reg;
  test::FaultProxy proxy(reg.host());
  hold_first_upload(proxy);

  test::TempDir dir;
  fs::create_directories(dir / "app");
  std::ofstream(dir / "app/server") << std::string(256 * 1024, 'y');
  std::ofstream(dir / "app/config") << "port=8080\n";
  const std::string image = proxy.host() + "/" + reg.ns() + "/app";
  const std::map<std::string, std::string> env = {{"HOME", dir.path().string()}, {"HOIST_CACHE", dir.file("cache")}};
  const std::vector<std::string> build = {"image", "build", "--base", "scratch", "--image", image, "--tag", "v1",
                                          "--layer", "app:/app"};

  test::HoistRun first;
  std::thread runner([&] { first = test::run_hoist(build, env, dir.path().string()); });
  REQUIRE(wait_until([&] { return proxy.held() > 0; }));
  const int registry_pid = reg.pids().front();
  ::kill(registry_pid, SIGKILL);
  REQUIRE(wait_until([&] { return !test::process_alive(registry_pid); }));
  proxy.release();
  runner.join();
  INFO(first.out << first.err);
  CHECK(first.code == 1);
  CHECK_THAT(first.all(), Catch::Contains(proxy.host()));

  // The registry comes back on the same port with the same storage.
  test::Command restart;
  restart.argv = {"bash", "-c",
                  "docker-registry serve " + (reg.dir() / "registry.yml").string() + " </dev/null >>" +
                      (reg.dir() / "registry.log").string() + " 2>&1 & echo $! > " +
                      (reg.dir() / "registry.pid").string()};
  REQUIRE(test::run_command(restart).ok());
  registry::RegistryClient client;
  const registry::Reference tagged = registry::parse_reference(reg.image("app") + ":v1");
  REQUIRE(wait_until([&] {
    try {
      client.blob_exists(tagged, "sha256:" + std::string(64, '0'));
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }));
  CHECK_THROWS(client.get_manifest(tagged));  // the failed push left no tag

  test::HoistRun second = test::run_hoist(build, env, dir.path().string());
  INFO(second.out << second.err);
  REQUIRE(second.code == 0);
  registry::Manifest m = client.get_manifest(tagged);
  for (const auto& blob : m.blobs()) CHECK(client.blob_exists(tagged, blob.digest));
}

TEST_CASE("a full disk under the layer cache fails the build clearly and pushes nothing", "[faults]") {
  test::RegistryServer reg;
  test::TempDir dir;
  fs::create_directories(dir / "app");
  fs::create_directories(dir / "cache");
  {
    std::ofstream data(dir / "app/data", std::ios::binary);  // incompressible: the layer outgrows the tmpfs
    std::uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 512 * 1024 / 8; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      data.write(reinterpret_cast<const char*>(&x), sizeof x);
    }
  }
  const std::string image = reg.image("app");
  // A 64 KiB tmpfs over the cache directory, in a mount namespace of the command's own: the layer cannot be written.
  const std::string script = "mount -t tmpfs -o size=64k tmpfs " + dir.file("cache") + " && exec " + HOIST_BINARY +
                             " image build --base scratch --image " + image + " --tag v1 --layer app:/app";
  test::Command cmd;
  cmd.argv = {"unshare", "-m", "bash", "-c", script};
  cmd.set_env = {{"HOME", dir.path().string()}, {"HOIST_CACHE", dir.file("cache")}, {"CI", "true"}};
  cmd.working_dir = dir.path().string();
  test::CommandResult r = test::run_command(cmd);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out + r.err, Catch::Contains("No space left on device"));
  registry::RegistryClient client;
  CHECK_THROWS(client.get_manifest(registry::parse_reference(image + ":v1")));
}
