// zstd layers: what the zstd tool and libarchive read back, the same bytes for any thread count, and the OCI media
// type in the manifest.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "steps/image/image_assembly.hpp"
#include "steps/image/layer_cache.hpp"
#include "steps/image/layer_writer.hpp"
#include "steps/image/oci_layout.hpp"
#include "steps/image/zstd_encoder.hpp"
#include "tests/support/command.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/tar_listing.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using namespace hoist::image;
using nlohmann::json;

namespace {

std::string zstd(const std::string& data, int level, unsigned threads) {
  std::string out;
  auto sink = [&](const unsigned char* p, std::size_t n) { out.append(reinterpret_cast<const char*>(p), n); };
  ZstdEncoder enc(level, sink, threads);
  for (std::size_t i = 0; i < data.size(); i += 100000)
    enc.write(data.data() + i, std::min<std::size_t>(100000, data.size() - i));
  enc.finish();
  return out;
}

}  // namespace

TEST_CASE("zstd: the zstd tool reads it back, and the thread count does not change the bytes", "[image]") {
  std::string data;
  for (int i = 0; i < 400000; ++i) data += std::to_string(i * 2654435761u % 1000003) + (i % 7 ? " " : "\n");
  std::string one = zstd(data, 3, 1);
  CHECK(zstd(data, 3, 2) == one);
  CHECK(zstd(data, 3, 8) == one);
  CHECK(one.size() < data.size() / 2);
  auto r = test::run_command(test::Command{{"zstd", "-dc"}, {}, {}, "", one});
  INFO(r.err);
  REQUIRE(r.ok());
  CHECK(r.out == data);
  CHECK(zstd("", 1, 1).size() > 0);
}

TEST_CASE("zstd: a zstd layer holds the same tar as the gzip one and gets the OCI zstd media type", "[image]") {
  test::TempDir t("hoist-zstd");
  test::write_tree_file(t.path() / "app/server", "#!/bin/sh\necho hi\n", 0755);
  ContentStore store(t.path() / "store");
  LayerCache cache(store);
  LayerBlob gz = cache.build({{"app", "/app", {}, {}, {}, {}}}, t.path(), {});
  LayerBlob zs = cache.build({{"app", "/app", {}, {}, {}, {}}}, t.path(), {0, 3, 0, Compression::zstd});
  CHECK(zs.diff_id == gz.diff_id);  // the same tar
  CHECK(zs.digest != gz.digest);
  CHECK(cache.stats().misses == 2);  // the compression is part of the key
  auto list = test::list_tar(store.blob_path(zs.digest));
  REQUIRE(list.size() == 2);
  CHECK(list[1].name == "app/server");
  CHECK(list[1].contents == "#!/bin/sh\necho hi\n");

  AssembledImage img = assemble_image(std::nullopt, Platform{}, {}, {{zs, "zstd layer"}}, {}, store);
  json m = json::parse(test::read_file(store.blob_path(img.manifest.digest).string()));
  CHECK(m["layers"][0]["mediaType"] == "application/vnd.oci.image.layer.v1.tar+zstd");
  write_oci_layout(t.path() / "layout", store, {{img.manifest, "z"}});
  auto r = test::run_command(
      test::Command{{"skopeo", "inspect", "oci:" + (t.path() / "layout").string() + ":z"}, {}, {}, "", ""});
  INFO(r.err);
  REQUIRE(r.ok());
  CHECK(json::parse(r.out)["Layers"] == json::array({zs.digest}));
  auto copy = test::run_command(test::Command{
      {"skopeo", "copy", "oci:" + (t.path() / "layout").string() + ":z", "oci:" + (t.path() / "copy").string() + ":z"},
      {}, {}, "", ""});
  INFO(copy.err);
  CHECK(copy.ok());  // skopeo checks every blob against its digest on the way
  CHECK(fs::exists(t.path() / "copy/blobs/sha256" / zs.digest.substr(7)));
}
