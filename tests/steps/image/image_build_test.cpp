// image/build end to end without a registry: spec from YAML, layers, config, manifest or index, OCI layout.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runner/util/errors.hpp"
#include "steps/image/build_spec.hpp"
#include "steps/image/image_build.hpp"
#include "steps/image/oci_layout.hpp"
#include "tests/support/command.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using namespace hoist::image;
using nlohmann::json;

namespace {

BuildSpec spec_from(const std::string& yaml) {
  Diagnostics d;
  BuildSpec s = parse_build_spec(YAML::Load(yaml), "p.yaml", d);
  INFO(d.format());
  REQUIRE(d.empty());
  return s;
}

json inspect(const std::string& ref, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{"skopeo", "inspect"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(ref);
  auto r = test::run_command(test::Command{argv, {}, {}, "", ""});
  INFO(r.err);
  REQUIRE(r.ok());
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("image build: a scratch image from a spec, twice the same digest, the second from the cache", "[image]") {
  test::TempDir t("hoist-build");
  test::write_tree_file(t.path() / "build/app/server", "#!/bin/sh\n", 0755);
  test::write_tree_file(t.path() / "VERSION", "7\n", 0644);
  BuildSpec spec = spec_from(R"(
base: scratch
image: registry.example.com/shop/api
layers:
  - {src: build/app, dest: /app}
  - {src: VERSION, dest: /etc/}
entrypoint: [/app/server]
env: {PORT: "8080"}
labels: {team: shop}
expose: [8080]
)");
  BuildContext ctx{t.path(), 1700000000, "c0ffee", "https://git.example.com/shop/api", 0};
  ContentStore store(t.path() / "store");
  LayerCache cache(store);
  BuiltImage first = build_image(spec, ctx, scratch_only, store, cache);
  BuiltImage second = build_image(spec, ctx, scratch_only, store, cache);
  CHECK(first.top.digest == second.top.digest);
  CHECK(first.top.media_type == "application/vnd.oci.image.manifest.v1+json");
  CHECK(cache.stats().misses == 2);
  CHECK(cache.stats().hits == 2);

  write_oci_layout(t.path() / "layout", store, {{first.top, "c0ffee"}});
  json info = inspect("oci:" + (t.path() / "layout").string() + ":c0ffee");
  CHECK(info["Labels"]["org.opencontainers.image.revision"] == "c0ffee");
  CHECK(info["Labels"]["team"] == "shop");
  CHECK(info["Created"] == "2023-11-14T22:13:20Z");
  CHECK(info["Layers"].size() == 2);
  json config = inspect("oci:" + (t.path() / "layout").string() + ":c0ffee", {"--config"});
  CHECK(config["config"]["ExposedPorts"] == json{{"8080/tcp", json::object()}});
  CHECK(config["history"][1]["created_by"] == "hoist image/build: COPY VERSION /etc/");

  SECTION("several platforms give an index over one manifest each, sharing the layers") {
    spec.platforms = {Platform::parse("linux/amd64"), Platform::parse("linux/arm64")};
    BuiltImage multi = build_image(spec, ctx, scratch_only, store, cache);
    CHECK(multi.top.media_type == "application/vnd.oci.image.index.v1+json");
    REQUIRE(multi.images.size() == 2);
    CHECK(multi.images[0].manifest.digest == first.top.digest);  // linux/amd64 is the default platform
    CHECK(cache.stats().misses == 2);
  }
  SECTION("a registry base needs the registry client") {
    spec.base = "nginx";
    CHECK_THROWS_MATCHES(build_image(spec, ctx, scratch_only, store, cache), InputError,
                         Catch::Message("base 'nginx' needs a registry; only 'scratch' can be built without one"));
  }
}
