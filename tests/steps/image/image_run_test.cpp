// Images Hoist builds, run by a program nobody here wrote: built and pushed to a real registry on loopback
// (Distribution 2.8), pulled by buildah into a private storage root and run with `buildah run --isolation chroot`.
// The base is a static busybox (Debian's busybox-static) pushed by hoist itself, so every byte that runs came
// through Hoist's layer writer, config and manifest.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "steps/registry/client.hpp"
#include "tests/support/buildah.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using nlohmann::json;
using test::Buildah;
using test::HoistRun;
using test::RegistryServer;

namespace {

// A build directory holding a busybox root file system (rootfs/) and the files of the images built on it.
struct RunWorkspace {
  test::TempDir dir{"hoist-imagerun"};
  RunWorkspace() {
    fs::create_directories(dir / "docker");
    fs::path rootfs = ctx() / "rootfs";
    fs::create_directories(rootfs / "bin");
    fs::copy_file("/bin/busybox", rootfs / "bin/busybox");
    for (const char* applet : {"sh", "cat", "id", "stat", "readlink", "ls", "wc", "env", "pwd", "echo"})
      fs::create_symlink("busybox", rootfs / "bin" / applet);
    test::write_tree_file(rootfs / "etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/srv:/bin/sh\n");
    test::write_tree_file(rootfs / "etc/group", "root:x:0:\napp:x:1000:\nstaff:x:50:\n");
  }
  fs::path ctx() const { return dir / "ctx"; }
  std::map<std::string, std::string> env() const {
    return {{"DOCKER_CONFIG", dir.file("docker")}, {"HOIST_CACHE", dir.file("cache")},
            {"SOURCE_DATE_EPOCH", "1700000000"}};
  }
};

HoistRun hoist_in(const RunWorkspace& ws, const std::vector<std::string>& args) {
  return test::run_hoist(args, ws.env(), ws.ctx().string(), std::chrono::seconds(180));
}

// Pushes the busybox base as REGISTRY/NS/base:1 for `platform`, with PATH set as images usually have it.
void push_busybox_base(const RunWorkspace& ws, const RegistryServer& server, const std::string& name = "base",
                       const std::string& platform = "linux/amd64") {
  HoistRun r = hoist_in(ws, {"image", "build", "--base", "scratch", "--image", server.image(name), "--tag", "1",
                             "--layer", "rootfs:/", "--env", "PATH=/bin", "--platform", platform});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out + r.err, Catch::Contains("built 1 layer: "));  // a counted noun, not "1 layer(s)"
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("a hoist-built image runs under buildah: entrypoint and cmd, env, workdir, user and group", "[imagerun]") {
  RegistryServer server(RegistryServer::Mode::plain);
  RunWorkspace ws;
  push_busybox_base(ws, server);
  test::write_tree_file(ws.ctx() / "app/server",
                        "#!/bin/sh\necho \"serving $* as $(id -un):$(id -gn) ($(id -u):$(id -g)) in $(pwd) "
                        "greeting=$GREETING path=$PATH\"\n",
                        0755);
  HoistRun app = hoist_in(ws, {"image", "build", "--base", server.image("base") + ":1", "--image", server.image("app"),
                               "--tag", "v1", "--layer", "app:/srv/app", "--entrypoint", "[\"/srv/app/server\"]",
                               "--cmd", "[\"--port\",\"8080\"]", "--env", "GREETING=hello world", "--workdir",
                               "/srv/app", "--user", "app:staff"});
  INFO(app.out << app.err);
  REQUIRE(app.code == 0);

  Buildah buildah;
  std::string c = buildah.from(server.image("app") + ":v1");
  std::vector<std::string> argv = test::entrypoint_and_cmd(buildah.config_json(c));
  CHECK(argv == std::vector<std::string>{"/srv/app/server", "--port", "8080"});
  test::CommandResult ran = buildah.run(c, argv);
  INFO(ran.err);
  REQUIRE(ran.ok());
  CHECK(trimmed(ran.out) == "serving --port 8080 as app:staff (1000:50) in /srv/app greeting=hello world path=/bin");

  SECTION("an entrypoint without cmd drops the base's cmd, and a later image overrides the user") {
    HoistRun base2 = hoist_in(ws, {"image", "build", "--base", server.image("app") + ":v1", "--image",
                                   server.image("app2"), "--tag", "v1", "--entrypoint", "[\"/bin/id\",\"-u\"]",
                                   "--user", "0"});
    INFO(base2.out << base2.err);
    REQUIRE(base2.code == 0);
    std::string c2 = buildah.from(server.image("app2") + ":v1");
    std::vector<std::string> argv2 = test::entrypoint_and_cmd(buildah.config_json(c2));
    CHECK(argv2 == std::vector<std::string>{"/bin/id", "-u"});
    test::CommandResult id = buildah.run(c2, argv2);
    REQUIRE(id.ok());
    CHECK(trimmed(id.out) == "0");
  }
}

TEST_CASE("a hoist-built image runs under buildah: modes, owners, links, a replaced file, empty directories",
          "[imagerun]") {
  RegistryServer server(RegistryServer::Mode::plain);
  RunWorkspace ws;
  push_busybox_base(ws, server);
  fs::path files = ws.ctx() / "files";
  test::write_tree_file(files / "v1/tool", "#!/bin/sh\necho tool v1\n", 0750);
  test::write_tree_file(files / "config.txt", "old\n", 0644);
  test::write_tree_file(files / "data/a.txt", "same bytes\n", 0640);
  fs::create_hard_link(files / "data/a.txt", files / "data/b.txt");
  fs::create_symlink("v1", files / "current");
  fs::create_symlink("/opt/app/v1/tool", files / "tool-abs");
  fs::create_directories(files / "empty");
  fs::permissions(files / "empty", fs::perms(0751));
  test::write_tree_file(ws.ctx() / "secret/token", "s3cr3t\n", 0644);
  test::write_tree_file(ws.ctx() / "override/config.txt", "new\n", 0600);
  std::ofstream(ws.ctx() / "pipeline.yaml")
      << "version: 1\nname: files\nsteps:\n  - id: image\n    uses: image/build\n    with:\n"
         "      base: " << server.image("base") << ":1\n      image: " << server.image("files") << "\n"
         "      tags: [v1]\n"
         "      layers:\n"
         "        - {src: files, dest: /opt/app, uid: 1000, gid: 50}\n"
         "        - {src: secret/token, dest: /etc/app/, mode: 0400}\n"
         "        - {src: override/config.txt, dest: /opt/app/config.txt}\n";
  HoistRun build = hoist_in(ws, {"run", "pipeline.yaml"});
  INFO(build.out << build.err);
  REQUIRE(build.code == 0);

  Buildah buildah;
  std::string c = buildah.from(server.image("files") + ":v1");
  auto sh = [&](const std::string& script) {
    test::CommandResult r = buildah.run(c, {"/bin/sh", "-c", script});
    INFO(script << "\n" << r.err);
    CHECK(r.ok());
    return trimmed(r.out);
  };
  // Owners from uid/gid, permission bits kept from the build directory, or replaced by `mode`.
  CHECK(sh("stat -c '%a %u %g %F' /opt/app/v1/tool") == "750 1000 50 regular file");
  CHECK(sh("stat -c '%a %u %g %F' /opt/app/data/a.txt") == "640 1000 50 regular file");
  CHECK(sh("stat -c '%a %u %g %F' /etc/app/token") == "400 0 0 regular file");
  CHECK(sh("cat /etc/app/token") == "s3cr3t");
  // Parent directories the build adds are 0755 root:root.
  CHECK(sh("stat -c '%a %u %g' /etc/app /opt") == "755 0 0\n755 0 0");
  // Symlinks stay symlinks, relative and absolute, and resolve inside the image.
  CHECK(sh("readlink /opt/app/current; readlink /opt/app/tool-abs") == "v1\n/opt/app/v1/tool");
  CHECK(sh("/opt/app/current/tool; /opt/app/tool-abs") == "tool v1\ntool v1");
  // Hard links are stored as separate files with the same bytes (layer_plan.hpp).
  CHECK(sh("cat /opt/app/data/a.txt /opt/app/data/b.txt; stat -c %h /opt/app/data/b.txt") ==
        "same bytes\nsame bytes\n1");
  // A later layer replaces a file of an earlier one: contents, mode and owner are the later layer's.
  CHECK(sh("cat /opt/app/config.txt; stat -c '%a %u %g' /opt/app/config.txt") == "new\n600 0 0");
  // An empty directory is there, empty, with its mode.
  CHECK(sh("stat -c '%a %F' /opt/app/empty; ls -A /opt/app/empty | wc -l") == "751 directory\n0");
  // The base's files are still there underneath.
  CHECK(sh("cat /etc/group | wc -l") == "3");
}

TEST_CASE("a hoist-built multi-platform index: buildah picks the image for the platform asked for", "[imagerun]") {
  RegistryServer server(RegistryServer::Mode::plain);
  RunWorkspace ws;
  // Two bases that differ in one file, joined by an index put through the registry client, as a multi-platform base
  // from any other builder would be.
  test::write_tree_file(ws.ctx() / "amd64/etc/arch", "amd64\n");
  test::write_tree_file(ws.ctx() / "arm64/etc/arch", "arm64\n");
  push_busybox_base(ws, server, "base-amd64", "linux/amd64");
  push_busybox_base(ws, server, "base-arm64", "linux/arm64/v8");
  registry::ClientOptions options;
  options.use_docker_config = false;
  registry::RegistryClient client(options);
  json index{{"schemaVersion", 2}, {"mediaType", "application/vnd.oci.image.index.v1+json"}, {"manifests", json::array()}};
  for (const std::string arch : {"amd64", "arm64"}) {
    HoistRun r = hoist_in(ws, {"image", "build", "--base", server.image("base-" + arch) + ":1", "--image",
                               server.image("base"), "--tag", arch, "--layer", arch + "/etc:/etc",
                               "--platform", arch == "amd64" ? "linux/amd64" : "linux/arm64/v8"});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    registry::Manifest m = client.get_manifest(registry::parse_reference(server.image("base") + ":" + arch));
    json platform{{"os", "linux"}, {"architecture", arch}};
    if (arch == "arm64") platform["variant"] = "v8";
    index["manifests"].push_back({{"mediaType", m.media_type}, {"digest", m.digest}, {"size", m.bytes.size()},
                                  {"platform", platform}});
  }
  client.put_manifest(registry::parse_reference(server.image("base") + ":multi"),
                      registry::Manifest::from_bytes(index.dump(), "application/vnd.oci.image.index.v1+json"));

  test::write_tree_file(ws.ctx() / "app/hello", "#!/bin/sh\necho \"hello from $(cat /etc/arch)\"\n", 0755);
  HoistRun app = hoist_in(ws, {"image", "build", "--base", server.image("base") + ":multi", "--image",
                               server.image("app"), "--tag", "multi", "--layer", "app:/app", "--entrypoint",
                               "[\"/app/hello\"]", "--platform", "linux/amd64", "--platform", "linux/arm64/v8"});
  INFO(app.out << app.err);
  REQUIRE(app.code == 0);

  Buildah buildah;
  // The busybox in both is the machine's (amd64), so the arm64 image runs here too and shows which one was picked.
  std::string amd = buildah.from(server.image("app") + ":multi", "amd64");
  std::string arm = buildah.from(server.image("app") + ":multi", "arm64", "v8");
  CHECK(json::parse(buildah.image_json(arm))["architecture"] == "arm64");
  CHECK(json::parse(buildah.image_json(amd))["architecture"] == "amd64");
  test::CommandResult a = buildah.run(amd, test::entrypoint_and_cmd(buildah.config_json(amd)));
  test::CommandResult b = buildah.run(arm, test::entrypoint_and_cmd(buildah.config_json(arm)));
  INFO(a.err << b.err);
  CHECK(trimmed(a.out) == "hello from amd64");
  CHECK(trimmed(b.out) == "hello from arm64");
}
