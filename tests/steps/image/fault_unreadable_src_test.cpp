// A layer's src the build user cannot read: a mode-000 file, a directory it cannot list. hoist runs as an
// unprivileged user (root would read them anyway) and must fail the build step (exit 1) naming the file, before it
// talks to the registry: no tag, no manifest, no blob, not even an upload, and no step after the build runs. An
// unreadable pipeline file is bad input (exit 2) named as such.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "steps/registry/client.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
namespace fs = std::filesystem;

namespace {

constexpr fs::perms kOpen = fs::perms::all;  // 0777: the unprivileged user gets in and writes HOME and the cache

// A build directory the unprivileged user can enter, with app/server (readable) and app/conf/secret.key.
struct BuildDir {
  test::TempDir dir;
  BuildDir() {
    fs::permissions(dir.path(), kOpen);
    fs::create_directories(dir / "app/conf");
    fs::create_directories(dir / "home");
    fs::permissions(dir / "home", kOpen);
    std::ofstream(dir / "app/server") << std::string(4096, 's');
    std::ofstream(dir / "app/conf/secret.key") << "not for the build user\n";
  }
  std::map<std::string, std::string> env() const {
    return {{"HOME", dir.file("home")}, {"HOIST_CACHE", dir.file("home/cache")}};
  }
};

// Nothing of the image reached the registry: the repository does not exist in its storage (an upload, a blob
// link, a manifest or a tag would each have created it), and asking for the tag fails.
void check_nothing_pushed(const test::RegistryServer& reg, const std::string& name) {
  const fs::path repo = reg.dir() / "registry-data/docker/registry/v2/repositories" / reg.repository(name);
  CHECK_FALSE(fs::exists(repo));
  registry::RegistryClient client;
  CHECK_THROWS(client.get_manifest(registry::parse_reference(reg.image(name) + ":v1")));
}

}  // namespace

TEST_CASE("an unreadable file in a layer's src fails the build naming the file, and nothing is pushed", "[faults]") {
  test::RegistryServer reg;
  BuildDir b;
  fs::permissions(b.dir / "app/conf/secret.key", fs::perms::none);
  test::HoistRun r = test::run_hoist_unprivileged(
      {"image", "build", "--base", "scratch", "--image", reg.image("app"), "--tag", "v1", "--layer", "app:/app"},
      b.env(), b.dir.path().string());
  INFO(r.all());
  CHECK(r.code == 1);
  CHECK_THAT(r.all(), Catch::Contains("cannot read " + b.dir.file("app/conf/secret.key") + ": Permission denied"));
  check_nothing_pushed(reg, "app");
}

TEST_CASE("a directory in a layer's src that cannot be listed fails the build naming it, and nothing is pushed",
          "[faults]") {
  test::RegistryServer reg;
  BuildDir b;
  fs::permissions(b.dir / "app/conf", fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  test::HoistRun r = test::run_hoist_unprivileged(
      {"image", "build", "--base", "scratch", "--image", reg.image("app"), "--tag", "v1", "--layer", "app:/app"},
      b.env(), b.dir.path().string());
  INFO(r.all());
  CHECK(r.code == 1);
  CHECK_THAT(r.all(), Catch::Contains("cannot read directory " + b.dir.file("app/conf") + ": Permission denied"));
  check_nothing_pushed(reg, "app");
}

TEST_CASE("hoist run: an unreadable layer file fails the image step, and the steps after it do not run", "[faults]") {
  test::RegistryServer reg;
  BuildDir b;
  fs::permissions(b.dir / "app/conf/secret.key", fs::perms::none);
  std::ofstream(b.dir / "pipeline.yaml") << "version: 1\n"
                                            "name: unreadable\n"
                                            "steps:\n"
                                            "  - id: image\n"
                                            "    uses: image/build\n"
                                            "    with:\n"
                                            "      base: scratch\n"
                                            "      image: " << reg.image("app") << "\n"
                                            "      tags: [v1]\n"
                                            "      layers: [{src: app, dest: /app}]\n"
                                            "  - id: after\n"
                                            "    needs: [image]\n"
                                            "    run: touch after-ran\n";
  test::HoistRun r = test::run_hoist_unprivileged({"run", "pipeline.yaml"}, b.env(), b.dir.path().string());
  INFO(r.all());
  CHECK(r.code == 1);
  CHECK_THAT(r.all(), Catch::Contains("cannot read " + b.dir.file("app/conf/secret.key") + ": Permission denied"));
  CHECK_FALSE(fs::exists(b.dir / "after-ran"));
  check_nothing_pushed(reg, "app");
}

TEST_CASE("an unreadable pipeline file is bad input naming the file", "[faults]") {
  BuildDir b;
  std::ofstream(b.dir / "pipeline.yaml") << "version: 1\nname: x\nsteps:\n  - id: a\n    run: touch ran\n";
  fs::permissions(b.dir / "pipeline.yaml", fs::perms::none);
  test::HoistRun r = test::run_hoist_unprivileged({"run", "pipeline.yaml"}, b.env(), b.dir.path().string());
  INFO(r.all());
  CHECK(r.code == 2);
  CHECK_THAT(r.all(), Catch::Contains("pipeline.yaml") && Catch::Contains("cannot read pipeline file: Permission denied"));
  CHECK_FALSE(fs::exists(b.dir / "ran"));
}
