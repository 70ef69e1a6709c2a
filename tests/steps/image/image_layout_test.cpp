// The content store, the layer cache, and OCI layouts read back by tools nobody here wrote (skopeo, umoci).
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "steps/digest/sha256.hpp"
#include "steps/image/content_store.hpp"
#include "steps/image/image_assembly.hpp"
#include "steps/image/layer_cache.hpp"
#include "steps/image/oci_layout.hpp"
#include "tests/support/command.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using namespace hoist::image;
using hoist::sha256_digest;
using nlohmann::json;
using hoist::test::TempDir;

namespace {

void make_app(const fs::path& build) {
  test::write_tree_file(build / "app/bin/server", "#!/bin/sh\necho hi\n", 0755);
  test::write_tree_file(build / "app/etc/config.txt", "port=8080\n", 0640);
  fs::create_symlink("bin/server", build / "app/current");
  test::write_tree_file(build / "VERSION", "1.2.3\n", 0644);
}

test::CommandResult run(std::vector<std::string> argv) {
  return test::run_command(test::Command{std::move(argv), {}, {}, "", ""});
}

}  // namespace

TEST_CASE("layer cache: an unchanged rebuild skips tar and compression, a one-byte change does not", "[image]") {
  TempDir t("hoist-cache");
  make_app(t.path() / "src");
  ContentStore store(t.path() / "store");
  std::vector<LayerEntry> entries{{"app", "/app", {}, {}, {}, {}}};

  LayerCache first(store);
  LayerBlob a = first.build(entries, t.path() / "src", {});
  CHECK_FALSE(a.from_cache);
  CHECK(first.stats().misses == 1);
  CHECK(first.stats().bytes_compressed > 0);
  CHECK(store.has(a.digest));
  CHECK(store.size(a.digest) == a.size);

  LayerCache second(store);  // a new process: only the store remembers
  LayerBlob b = second.build(entries, t.path() / "src", {});
  CHECK(b.from_cache);
  CHECK(b.digest == a.digest);
  CHECK(b.diff_id == a.diff_id);
  CHECK(second.stats().hits == 1);
  CHECK(second.stats().misses == 0);
  CHECK(second.stats().bytes_compressed == 0);

  SECTION("a fresh checkout (new mtimes) of the same content hits") {
    fs::copy(t.path() / "src", t.path() / "checkout", fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    LayerBlob c = second.build(entries, t.path() / "checkout", {});
    CHECK(c.from_cache);
    CHECK(c.digest == a.digest);
  }
  SECTION("one changed byte (same size) misses and gives a new digest") {
    test::write_tree_file(t.path() / "src/app/etc/config.txt", "port=8081\n", 0640);
    LayerBlob c = second.build(entries, t.path() / "src", {});
    CHECK_FALSE(c.from_cache);
    CHECK(c.digest != a.digest);
    CHECK(second.stats().misses == 1);
  }
  SECTION("a changed mode misses") {
    ::chmod((t.path() / "src/app/etc/config.txt").c_str(), 0644);
    CHECK_FALSE(second.build(entries, t.path() / "src", {}).from_cache);
  }
  SECTION("a blob gone from the store misses and is rebuilt") {
    fs::remove(store.blob_path(a.digest));
    LayerBlob c = second.build(entries, t.path() / "src", {});
    CHECK_FALSE(c.from_cache);
    CHECK(store.has(a.digest));
  }
}

TEST_CASE("OCI layout: scratch + 2 layers is read by skopeo and unpacked by umoci as expected", "[image]") {
  TempDir t("hoist-layout");
  make_app(t.path() / "src");
  ContentStore store(t.path() / "store");
  LayerCache cache(store);
  LayerBlob app = cache.build({{"app", "/app", {}, {}, {}, {}}}, t.path() / "src", {});
  LayerBlob version = cache.build({{"VERSION", "/etc/app/", 0600, 1000, 1001, {}}}, t.path() / "src", {});

  ConfigChanges ch;
  ch.entrypoint = std::vector<std::string>{"/app/bin/server"};
  ch.env = {{"PORT", "8080"}};
  ch.labels = {{"team", "shop"}};
  ch.revision = "0123456789abcdef";
  ch.source = "https://git.example.com/shop/api";
  std::vector<NewLayer> layers{{app, "hoist: app -> /app"}, {version, "hoist: VERSION -> /etc/app/"}};
  AssembledImage img = assemble_image(std::nullopt, Platform{}, ch, layers, {}, store);
  fs::path layout = t.path() / "layout";
  write_oci_layout(layout, store, {{img.manifest, "v1"}});

  auto inspect = run({"skopeo", "inspect", "oci:" + layout.string() + ":v1"});
  INFO(inspect.err);
  REQUIRE(inspect.ok());
  json info = json::parse(inspect.out);
  CHECK(info["Digest"] == img.manifest.digest);
  CHECK(info["Labels"] == json{{"org.opencontainers.image.revision", "0123456789abcdef"},
                               {"org.opencontainers.image.source", "https://git.example.com/shop/api"},
                               {"team", "shop"}});
  CHECK(info["Env"] == json::array({"PORT=8080"}));
  CHECK(info["Layers"] == json::array({app.digest, version.digest}));
  CHECK(info["Os"] == "linux");
  CHECK(info["Architecture"] == "amd64");
  auto config = run({"skopeo", "inspect", "--config", "oci:" + layout.string() + ":v1"});
  REQUIRE(config.ok());
  CHECK(json::parse(config.out)["config"]["Entrypoint"] == json::array({"/app/bin/server"}));

  auto unpack =
      run({"umoci", "unpack", "--rootless", "--image", layout.string() + ":v1", (t.path() / "bundle").string()});
  INFO(unpack.err);
  REQUIRE(unpack.ok());
  fs::path rootfs = t.path() / "bundle/rootfs";
  std::map<std::string, unsigned> found;
  for (const auto& e : fs::recursive_directory_iterator(rootfs)) {
    struct stat st {};
    REQUIRE(::lstat(e.path().c_str(), &st) == 0);
    found[e.path().lexically_relative(rootfs).string()] = st.st_mode & 07777;
  }
  CHECK(found == std::map<std::string, unsigned>{{"app", 0755},
                                                 {"app/bin", 0755},
                                                 {"app/bin/server", 0755},
                                                 {"app/current", 0777},
                                                 {"app/etc", 0755},
                                                 {"app/etc/config.txt", 0640},
                                                 {"etc", 0755},
                                                 {"etc/app", 0755},
                                                 {"etc/app/VERSION", 0600}});
  CHECK(fs::read_symlink(rootfs / "app/current") == "bin/server");
  // Rootless, umoci owns everything by the caller; as root it applies the owners from the tar.
  struct stat version_st {};
  REQUIRE(::lstat((rootfs / "etc/app/VERSION").c_str(), &version_st) == 0);
  CHECK(version_st.st_uid == ::geteuid());
  if (::geteuid() == 0) {
    auto rooted = run({"umoci", "unpack", "--image", layout.string() + ":v1", (t.path() / "rooted").string()});
    INFO(rooted.err);
    REQUIRE(rooted.ok());
    struct stat st {};
    REQUIRE(::lstat((t.path() / "rooted/rootfs/etc/app/VERSION").c_str(), &st) == 0);
    CHECK(st.st_uid == 1000);
    CHECK(st.st_gid == 1001);
    REQUIRE(::lstat((t.path() / "rooted/rootfs/app/bin/server").c_str(), &st) == 0);
    CHECK(st.st_uid == 0);
    CHECK(st.st_gid == 0);
  }

  SECTION("a second ref joins the index; the same ref is replaced") {
    write_oci_layout(layout, store, {{img.manifest, "v2"}, {img.manifest, "v1"}});
    CHECK(run({"skopeo", "inspect", "oci:" + layout.string() + ":v2"}).ok());
    auto index = json::parse(std::ifstream(layout / "index.json"));
    CHECK(index["manifests"].size() == 2);
  }
}

TEST_CASE("OCI layout: an index over two platforms, skopeo picks each by architecture and copies all", "[image]") {
  TempDir t("hoist-layout");
  make_app(t.path() / "src");
  ContentStore store(t.path() / "store");
  LayerCache cache(store);
  LayerBlob app = cache.build({{"app", "/app", {}, {}, {}, {}}}, t.path() / "src", {});
  std::vector<Descriptor> manifests;
  for (const char* platform : {"linux/amd64", "linux/arm64/v8"}) {
    ConfigChanges ch;
    ch.env = {{"PLATFORM", platform}};
    manifests.push_back(assemble_image(std::nullopt, Platform::parse(platform), ch, {{app, "app"}}, {}, store).manifest);
  }
  CHECK(cache.stats().misses == 1);  // platform-neutral files: one layer for both
  Descriptor index = assemble_index(manifests, {}, store);
  fs::path layout = t.path() / "layout";
  write_oci_layout(layout, store, {{index, "multi"}});

  auto amd = run({"skopeo", "inspect", "--override-arch", "amd64", "oci:" + layout.string() + ":multi"});
  INFO(amd.err);
  REQUIRE(amd.ok());
  CHECK(json::parse(amd.out)["Env"] == json::array({"PLATFORM=linux/amd64"}));
  CHECK(json::parse(amd.out)["Digest"] == index.digest);  // skopeo names the image by what the tag points at
  auto arm = run({"skopeo", "inspect", "--override-arch", "arm64", "--override-variant", "v8",
                  "oci:" + layout.string() + ":multi"});
  INFO(arm.err);
  REQUIRE(arm.ok());
  CHECK(json::parse(arm.out)["Env"] == json::array({"PLATFORM=linux/arm64/v8"}));
  CHECK(json::parse(arm.out)["Architecture"] == "arm64");

  auto copy = run({"skopeo", "copy", "--all", "oci:" + layout.string() + ":multi",
                   "oci:" + (t.path() / "copy").string() + ":multi"});
  INFO(copy.err);
  REQUIRE(copy.ok());
  auto raw = run({"skopeo", "inspect", "--raw", "oci:" + (t.path() / "copy").string() + ":multi"});
  REQUIRE(raw.ok());
  CHECK(sha256_digest(raw.out) == index.digest);  // the copy keeps the index byte for byte
}
