// image/build's `with`: typed when right, every problem at its file:line:col when not.
#include <catch2/catch.hpp>

#include "runner/pipeline/pipeline.hpp"
#include "steps/image/build_spec.hpp"

using namespace hoist;
using namespace hoist::image;

namespace {

std::string problems(const std::string& yaml) {
  Step step;
  step.id = "image";
  step.kind = "image/build";
  step.loc = Location{"p.yaml", 1, 1};
  step.with = YAML::Load(yaml);
  Diagnostics d;
  validate_build_spec(step, "p.yaml", d);
  return d.format();
}

}  // namespace

TEST_CASE("build spec: a full with reads into the typed struct", "[image]") {
  Diagnostics d;
  BuildSpec s = parse_build_spec(YAML::Load(R"(
base: scratch
image: registry.example.com/shop/api
tags: [abc1234, v1]
layers:
  - {src: build/app, dest: /app, exclude: ["*.o"]}
  - {src: VERSION, dest: /etc/, mode: 0600, uid: 1000, gid: 1000}
entrypoint: [/app/server]
cmd: --serve
env: {PORT: "8080", LANG: C.UTF-8}
workdir: /app
user: "1000"
labels: {team: shop}
expose: [8080, 53/udp]
platforms: [linux/amd64, linux/arm64/v8]
compression: gzip
compression_level: 6
username: bot
password: ${REGISTRY_PASSWORD}
ca_file: /etc/ca.pem
insecure: true
)"), "p.yaml", d);
  INFO(d.format());
  REQUIRE(d.empty());
  CHECK(s.base == "scratch");
  CHECK(s.image == "registry.example.com/shop/api");
  CHECK(s.tags == std::vector<std::string>{"abc1234", "v1"});
  REQUIRE(s.layers.size() == 2);
  CHECK(s.layers[0].exclude == std::vector<std::string>{"*.o"});
  CHECK(s.layers[1].mode == 0600u);
  CHECK(s.layers[1].uid == 1000);
  CHECK(*s.config.entrypoint == std::vector<std::string>{"/app/server"});
  CHECK(*s.config.cmd == std::vector<std::string>{"--serve"});
  CHECK(s.config.env == std::vector<std::pair<std::string, std::string>>{{"PORT", "8080"}, {"LANG", "C.UTF-8"}});
  CHECK(s.config.expose == std::vector<std::string>{"8080", "53/udp"});
  REQUIRE(s.platforms.size() == 2);
  CHECK(s.platforms[1].variant == "v8");
  CHECK(s.compression_level == 6);
  CHECK(s.insecure);
}

TEST_CASE("build spec: username and password are checked, not kept", "[image]") {
  CHECK(problems("base: scratch\nimage: r.example/a\nusername: [bot]\npassword: {a: b}\n") ==
        "p.yaml:3:11: 'username' must be a string, got a sequence\n"
        "p.yaml:4:11: 'password' must be a string, got a mapping\n");
  CHECK(problems("base: scratch\nimage: r.example/a\nusername: bot\npassword: ${REGISTRY_PASSWORD}\n") == "");
}

TEST_CASE("build spec: every problem is reported at once with its place", "[image]") {
  CHECK(problems(R"(base: scratch
imgae: x
layers:
  - {src: app, dest: /../etc, mode: 999}
  - {dest: /x, uid: -1, exlude: [a]}
  - just-a-string
expose: [http]
platforms: [amd64]
compression: lz4
compression_level: 12
insecure: maybe
env: [A=1]
)") == "p.yaml:1:1: image/build is missing 'image'\n"
       "p.yaml:2:1: unknown key 'imgae' in image/build's with (did you mean 'image'?)\n"
       "p.yaml:4:22: dest '/../etc' is outside the image root\n"
       "p.yaml:4:37: 'mode' must be octal permission bits such as 0755, got '999'\n"
       "p.yaml:5:5: layer is missing 'src'\n"
       "p.yaml:5:21: 'uid' must be between 0 and 2147483647, got -1\n"
       "p.yaml:5:25: unknown key 'exlude' in layer (did you mean 'exclude'?)\n"
       "p.yaml:6:5: a layer must be a mapping {src, dest, ...}, got a string\n"
       "p.yaml:7:10: expose: 'http' is not PORT or PORT/PROTOCOL (tcp, udp, sctp)\n"
       "p.yaml:8:13: platform 'amd64' is not OS/ARCH or OS/ARCH/VARIANT (e.g. linux/arm64)\n"
       "p.yaml:9:14: compression 'lz4' is not gzip or zstd\n"
       "p.yaml:11:11: 'insecure' must be true or false, got 'maybe'\n"
       "p.yaml:12:6: 'env' must be a mapping, got a sequence\n");
}

TEST_CASE("build spec: values holding ${...} are checked after they are resolved", "[image]") {
  CHECK(problems(R"(base: ${BASE}
image: ${IMAGE}
layers: [{src: app, dest: /app, mode: "${MODE}", uid: "${UID}"}]
compression_level: ${LEVEL}
insecure: ${INSECURE}
expose: ["${PORT}"]
)") == "");
  CHECK(problems("") == "p.yaml:1:1: image/build needs 'with' with at least 'base' and 'image'\n");
}

TEST_CASE("build spec: the level range follows the compression", "[image]") {
  CHECK(problems("base: scratch\nimage: x\ncompression_level: 12\n") ==
        "p.yaml:3:20: 'compression_level' must be 0..9 for gzip, got 12\n");
  CHECK(problems("base: scratch\nimage: x\ncompression: zstd\ncompression_level: 19\n") == "");
  CHECK(problems("base: scratch\nimage: x\ncompression: zstd\ncompression_level: 0\n") ==
        "p.yaml:4:20: 'compression_level' must be 1..19 for zstd, got 0\n");
}
