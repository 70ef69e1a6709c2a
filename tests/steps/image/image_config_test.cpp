// Image config and manifest: the base carried over and changed as docker build would, bytes deterministic.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"
#include "steps/image/image_assembly.hpp"
#include "steps/image/image_config.hpp"
#include "steps/image/manifest.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::image;
using hoist::sha256_digest;
using nlohmann::json;

namespace {

json base_config() {
  return json::parse(R"({
    "architecture": "arm64", "os": "linux", "variant": "v8",
    "config": {"Env": ["PATH=/usr/bin", "LANG=C"], "Cmd": ["sh"], "Entrypoint": ["/init"],
               "Labels": {"maintainer": "base", "org.opencontainers.image.source": "https://base"},
               "ExposedPorts": {"22/tcp": {}}},
    "rootfs": {"type": "layers",
               "diff_ids": ["sha256:1111111111111111111111111111111111111111111111111111111111111111"]},
    "history": [{"created": "2020-01-01T00:00:00Z", "created_by": "base layer"}]
  })");
}

}  // namespace

TEST_CASE("config: env merges by name in order, labels add and override, diff_ids and history append", "[image]") {
  ConfigChanges ch;
  ch.env = {{"LANG", "C.UTF-8"}, {"PORT", "8080"}};
  ch.labels = {{"org.opencontainers.image.source", "https://explicit"}, {"team", "shop"}};
  ch.revision = "abc123";
  ch.source = "https://from-repo-url";
  ch.entrypoint = std::vector<std::string>{"/app/server"};
  ch.expose = {"8080", "53/udp"};
  ch.workdir = "/app";
  ch.user = "1000:1000";
  std::string diff = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
  json c = make_config(base_config(), Platform{}, ch, {{diff, "hoist image/build: app -> /app"}}, 1700000000);

  CHECK(c["config"]["Env"] == json::array({"PATH=/usr/bin", "LANG=C.UTF-8", "PORT=8080"}));
  CHECK(c["config"]["Labels"] == json{{"maintainer", "base"},
                                      {"org.opencontainers.image.revision", "abc123"},
                                      {"org.opencontainers.image.source", "https://explicit"},
                                      {"team", "shop"}});
  CHECK(c["config"]["Entrypoint"] == json::array({"/app/server"}));
  CHECK_FALSE(c["config"].contains("Cmd"));  // an inherited Cmd was for the old entrypoint
  CHECK(c["config"]["ExposedPorts"] == json{{"22/tcp", json::object()}, {"8080/tcp", json::object()},
                                            {"53/udp", json::object()}});
  CHECK(c["config"]["WorkingDir"] == "/app");
  CHECK(c["config"]["User"] == "1000:1000");
  CHECK(c["rootfs"]["diff_ids"].size() == 2);
  CHECK(c["rootfs"]["diff_ids"][1] == diff);
  CHECK(c["history"].size() == 2);
  CHECK(c["history"][1] == json{{"created", "2023-11-14T22:13:20Z"}, {"created_by", "hoist image/build: app -> /app"}});
  CHECK(c["created"] == "2023-11-14T22:13:20Z");
  CHECK(c["architecture"] == "arm64");  // the base's platform, not the default

  SECTION("revision and source fill the labels when not given explicitly; cmd with entrypoint is kept") {
    ConfigChanges ch2;
    ch2.source = "https://from-repo-url";
    ch2.entrypoint = std::vector<std::string>{"/a"};
    ch2.cmd = std::vector<std::string>{"--serve"};
    json c2 = make_config(base_config(), Platform{}, ch2, {}, 0);
    CHECK(c2["config"]["Labels"]["org.opencontainers.image.source"] == "https://from-repo-url");
    CHECK_FALSE(c2["config"]["Labels"].contains("org.opencontainers.image.revision"));
    CHECK(c2["config"]["Cmd"] == json::array({"--serve"}));
    CHECK(c2["created"] == "1970-01-01T00:00:00Z");
  }
  SECTION("a build without its own revision and source carries none: the base's describe the base's build") {
    json base = base_config();
    base["config"]["Labels"]["org.opencontainers.image.revision"] = "base-commit";
    json c3 = make_config(base, Platform{}, ConfigChanges{}, {}, 0);
    CHECK(c3["config"]["Labels"] == json{{"maintainer", "base"}});
    base["config"]["Labels"] = json{{"org.opencontainers.image.source", "https://base"}};
    CHECK_FALSE(make_config(base, Platform{}, ConfigChanges{}, {}, 0)["config"].contains("Labels"));
  }
}

TEST_CASE("config: scratch gets the platform, an empty rootfs and deterministic bytes", "[image]") {
  ConfigChanges ch;
  ch.cmd = std::vector<std::string>{"/hello"};
  Platform p = Platform::parse("linux/arm64/v8");
  json a = make_config(std::nullopt, p, ch, {{"sha256:aa", "x"}}, 0);
  json b = make_config(std::nullopt, p, ch, {{"sha256:aa", "x"}}, 0);
  CHECK(a.dump() == b.dump());
  CHECK(a.dump() ==
        R"({"architecture":"arm64","config":{"Cmd":["/hello"]},"created":"1970-01-01T00:00:00Z",)"
        R"("history":[{"created":"1970-01-01T00:00:00Z","created_by":"x"}],"os":"linux",)"
        R"("rootfs":{"diff_ids":["sha256:aa"],"type":"layers"},"variant":"v8"})");
}

TEST_CASE("config: bad ports, platforms and SOURCE_DATE_EPOCH are input errors", "[image]") {
  CHECK(normalize_port("8080") == "8080/tcp");
  CHECK(normalize_port("53/udp") == "53/udp");
  CHECK_THROWS_AS(normalize_port("http"), InputError);
  CHECK_THROWS_AS(normalize_port("70000"), InputError);
  CHECK_THROWS_AS(normalize_port("80/icmp"), InputError);
  CHECK_THROWS_AS(Platform::parse("amd64"), InputError);
  ::setenv("SOURCE_DATE_EPOCH", "12x", 1);
  CHECK_THROWS_AS(source_date_epoch(), InputError);
  ::setenv("SOURCE_DATE_EPOCH", "86400", 1);
  CHECK(source_date_epoch() == 86400);
  ::unsetenv("SOURCE_DATE_EPOCH");
  CHECK(source_date_epoch() == 0);
}

TEST_CASE("manifest: base layers then new ones, a Docker base gives a Docker manifest", "[image]") {
  test::TempDir t("hoist-store");
  ContentStore store(t.path());
  LayerBlob blob{"sha256:3333333333333333333333333333333333333333333333333333333333333333",
                 "sha256:4444444444444444444444444444444444444444444444444444444444444444", 99, Compression::gzip,
                 false};

  BaseImage base;
  base.config = base_config();
  base.manifest = json::parse(R"({"schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1,
               "digest": "sha256:5555555555555555555555555555555555555555555555555555555555555555"},
    "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 7,
                "digest": "sha256:6666666666666666666666666666666666666666666666666666666666666666"}]})");

  AssembledImage img = assemble_image(base, Platform{}, {}, {{blob, "layer"}}, {}, store);
  CHECK(img.format == ManifestFormat::docker);
  json m = json::parse(test::read_file(store.blob_path(img.manifest.digest).string()));
  CHECK(m["mediaType"] == "application/vnd.docker.distribution.manifest.v2+json");
  CHECK(m["config"]["mediaType"] == "application/vnd.docker.container.image.v1+json");
  CHECK(m["config"]["digest"] == img.config.digest);
  REQUIRE(m["layers"].size() == 2);
  CHECK(m["layers"][0]["digest"] == "sha256:6666666666666666666666666666666666666666666666666666666666666666");
  CHECK(m["layers"][1] == json{{"mediaType", "application/vnd.docker.image.rootfs.diff.tar.gzip"},
                               {"digest", blob.digest},
                               {"size", 99}});
  CHECK(sha256_file(store.blob_path(img.manifest.digest)) == img.manifest.digest);
  CHECK(img.manifest.platform->architecture == "arm64");

  SECTION("an OCI base, or scratch, gives an OCI manifest; the same inputs the same digest") {
    AssembledImage a = assemble_image(std::nullopt, Platform{}, {}, {{blob, "layer"}}, {}, store);
    AssembledImage b = assemble_image(std::nullopt, Platform{}, {}, {{blob, "layer"}}, {}, store);
    CHECK(a.format == ManifestFormat::oci);
    CHECK(a.manifest.media_type == "application/vnd.oci.image.manifest.v1+json");
    CHECK(a.manifest.digest == b.manifest.digest);
    json om = json::parse(test::read_file(store.blob_path(a.manifest.digest).string()));
    CHECK(om["layers"][0]["mediaType"] == "application/vnd.oci.image.layer.v1.tar+gzip");

    Descriptor idx = assemble_index({a.manifest, img.manifest}, {}, store);
    json i = json::parse(test::read_file(store.blob_path(idx.digest).string()));
    CHECK(i["mediaType"] == "application/vnd.oci.image.index.v1+json");
    CHECK(i["manifests"][0]["platform"] == json{{"os", "linux"}, {"architecture", "amd64"}});
    CHECK(i["manifests"][1]["platform"] == json{{"os", "linux"}, {"architecture", "arm64"}, {"variant", "v8"}});
  }
}
