// image/build, image/tag, image/copy and `hoist image digest`, end to end through the hoist binary against real
// registries (Distribution 2.8 on loopback: plain, basic auth, TLS), with the results read back by tools nobody here
// wrote (skopeo inspect, skopeo copy + umoci unpack).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "runner/process/subprocess.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/command.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using nlohmann::json;
using test::RegistryServer;
using test::TempDir;

namespace {

const std::string kSha = "0123456789abcdef0123456789abcdef01234567";

struct Run {
  int code = -1;
  std::string out, err;
  std::string all() const { return out + err; }
};

// A workspace: a build directory with the app's files, a private content store and an empty docker config.
struct Workspace {
  TempDir dir{"hoist-imagestep"};
  Workspace() {
    fs::create_directories(dir / "docker");
    fs::create_directories(dir / "build");
    test::write_tree_file(dir.path() / "build/app/server", "#!/bin/sh\necho serving\n", 0755);
    test::write_tree_file(dir.path() / "build/app/static/index.html", "<h1>hi</h1>\n", 0644);
    test::write_tree_file(dir.path() / "build/base/etc/os-release", "NAME=tiny\n", 0644);
  }
  fs::path build() const { return dir / "build"; }
  std::map<std::string, std::string> env() const {
    return {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", dir.file("home")},
            {"DOCKER_CONFIG", dir.file("docker")}, {"HOIST_CACHE", dir.file("cache")},
            {"GITLAB_CI", "true"}, {"CI_COMMIT_SHA", kSha}, {"CI_PROJECT_URL", "https://git.example.invalid/shop/app"},
            {"SOURCE_DATE_EPOCH", "1700000000"}};
  }
};

Run hoist_cli(const Workspace& ws, const std::vector<std::string>& args,
              const std::map<std::string, std::string>& extra_env = {}) {
  ProcessSpec spec;
  spec.argv = {HOIST_BINARY};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = ws.env();
  for (const auto& [k, v] : extra_env) spec.env[k] = v;
  spec.working_dir = ws.build().string();
  spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  Run r;
  CancelToken never;
  auto res = PosixProcessRunner().run(spec, [&](std::string_view line, OutputStream s) {
    (s == OutputStream::out ? r.out : r.err) += std::string(line) + "\n";
  }, never);
  r.code = res.exit_code;
  return r;
}

test::CommandResult run(std::vector<std::string> argv) {
  return test::run_command(test::Command{std::move(argv), {}, {}, "", ""});
}

registry::ClientOptions options_for(const RegistryServer& server) {
  registry::ClientOptions o;
  o.use_docker_config = false;
  if (!server.username().empty()) o.credentials[server.host()] = {server.username(), server.password()};
  if (!server.ca_file().empty()) o.ca_file = server.ca_file().string();
  return o;
}

// The digest `image:tag` has in the registry, or "" when there is no such tag.
std::string tag_digest(const RegistryServer& server, const std::string& name, const std::string& tag) {
  registry::RegistryClient client(options_for(server));
  try {
    return client.get_manifest(registry::parse_reference(server.image(name) + ":" + tag)).digest;
  } catch (const Error& e) {
    if (std::string(e.what()).find("not found") != std::string::npos) return "";
    throw;
  }
}

std::string output_value(const std::string& out, const std::string& prefix) {
  auto at = out.find(prefix);
  if (at == std::string::npos) return "";
  auto end = out.find('\n', at);
  return out.substr(at + prefix.size(), end - at - prefix.size());
}

// The top digest a build printed ("pushed REPO@sha256:... as TAGS").
std::string pushed_digest(const Run& r) {
  std::string line = output_value(r.out, "@sha256:");
  return line.empty() ? "" : "sha256:" + line.substr(0, 64);
}

std::vector<std::string> app_build_args(const RegistryServer& server, const std::string& base, const std::string& tag) {
  return {"image", "build", "--base", base, "--image", server.image("app"), "--tag", tag,
          "--layer", "app:/app", "--entrypoint", "[\"/app/server\",\"--port\",\"8080\"]", "--env", "PORT=8080",
          "--env", "MODE=prod", "--label", "team=shop", "--workdir", "/app", "--expose", "8080"};
}

std::set<std::string> files_under(const fs::path& root) {
  std::set<std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it)
    out.insert(fs::relative(it->path(), root).string() + (it->is_directory() ? "/" : ""));
  return out;
}

}  // namespace

TEST_CASE("image build on scratch: pushed, read by skopeo, unpacked by umoci, reproducible", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  Run first = hoist_cli(ws, app_build_args(server, "scratch", "v1"));
  INFO(first.out << first.err);
  REQUIRE(first.code == 0);
  const std::string digest = pushed_digest(first);
  REQUIRE(digest.size() == 71);
  CHECK(tag_digest(server, "app", "v1") == digest);
  CHECK_THAT(first.out, Catch::Contains("uploaded 2 blobs"));

  auto inspect = run({"skopeo", "inspect", "--tls-verify=false", "--config", "docker://" + server.image("app") + ":v1"});
  INFO(inspect.err);
  REQUIRE(inspect.ok());
  json config = json::parse(inspect.out)["config"];
  CHECK(config["Entrypoint"] == json::array({"/app/server", "--port", "8080"}));
  CHECK(config["Env"] == json::array({"PORT=8080", "MODE=prod"}));
  CHECK(config["WorkingDir"] == "/app");
  CHECK(config["ExposedPorts"].contains("8080/tcp"));
  CHECK(config["Labels"]["team"] == "shop");
  CHECK(config["Labels"]["org.opencontainers.image.revision"] == kSha);
  CHECK(config["Labels"]["org.opencontainers.image.source"] == "https://git.example.invalid/shop/app");
  auto created = run({"skopeo", "inspect", "--tls-verify=false", "docker://" + server.image("app") + ":v1"});
  REQUIRE(created.ok());
  CHECK(json::parse(created.out)["Created"] == "2023-11-14T22:13:20Z");
  CHECK(json::parse(created.out)["Digest"] == digest);

  auto copy = run({"skopeo", "copy", "--src-tls-verify=false", "docker://" + server.image("app") + ":v1",
                   "oci:" + ws.dir.file("layout") + ":v1"});
  INFO(copy.err);
  REQUIRE(copy.ok());
  auto unpack = run({"umoci", "unpack", "--rootless", "--image", ws.dir.file("layout") + ":v1", ws.dir.file("bundle")});
  INFO(unpack.err);
  REQUIRE(unpack.ok());
  fs::path rootfs = ws.dir / "bundle/rootfs";
  CHECK(files_under(rootfs) == std::set<std::string>{"app/", "app/server", "app/static/", "app/static/index.html"});
  std::ifstream server_file(rootfs / "app/server");
  std::string text((std::istreambuf_iterator<char>(server_file)), {});
  CHECK(text == "#!/bin/sh\necho serving\n");
  CHECK((fs::status(rootfs / "app/server").permissions() & fs::perms::owner_exec) != fs::perms::none);

  SECTION("the same inputs again: same digest, nothing uploaded") {
    Run second = hoist_cli(ws, app_build_args(server, "scratch", "v2"));
    INFO(second.out << second.err);
    REQUIRE(second.code == 0);
    CHECK(pushed_digest(second) == digest);
    CHECK_THAT(second.out, Catch::Contains("uploaded 0 blobs (0 bytes)"));
    CHECK_THAT(second.out, Catch::Contains("skipped 2"));
    CHECK_THAT(second.out, Catch::Contains("only the tags were put"));  // push_record.hpp
    CHECK_THAT(second.out, Catch::Contains("manifests 1"));
    CHECK(tag_digest(server, "app", "v2") == digest);
  }
  SECTION("a fresh content store (another machine) gives the same digest") {
    Run other = hoist_cli(ws, app_build_args(server, "scratch", "v3"), {{"HOIST_CACHE", ws.dir.file("cache2")}});
    INFO(other.out << other.err);
    REQUIRE(other.code == 0);
    CHECK(pushed_digest(other) == digest);
    CHECK_THAT(other.out, Catch::Contains("uploaded 0 blobs (0 bytes)"));
  }
  SECTION("retag within the registry: same digest, no blob bytes") {
    Run tag = hoist_cli(ws, {"image", "tag", server.image("app") + ":v1", "--tag", "qa", "--tag", "stable"});
    INFO(tag.out << tag.err);
    REQUIRE(tag.code == 0);
    CHECK(tag_digest(server, "app", "qa") == digest);
    CHECK(tag_digest(server, "app", "stable") == digest);
  }
  SECTION("copy to another repository of the same registry: same digest, every blob mounted") {
    Run copy2 = hoist_cli(ws, {"image", "copy", server.image("app") + ":v1", server.image("promoted") + ":prod"});
    INFO(copy2.out << copy2.err);
    REQUIRE(copy2.code == 0);
    CHECK(tag_digest(server, "promoted", "prod") == digest);
    CHECK_THAT(copy2.out, Catch::Contains("uploaded 0 blobs (0 bytes), mounted 2"));
  }
  SECTION("hoist image digest prints the digest") {
    Run d = hoist_cli(ws, {"image", "digest", server.image("app") + ":v1"});
    CHECK(d.code == 0);
    CHECK(d.out == digest + "\n");
    Run missing = hoist_cli(ws, {"image", "digest", server.image("app") + ":nope"});
    CHECK(missing.code == 4);  // not found (docs/DESIGN.md), apart from "could not reach" (5)
    CHECK_THAT(missing.err, Catch::Contains("not found"));
    CHECK(missing.out.empty());
    Run bad = hoist_cli(ws, {"image", "digest", "Bad Ref!"});
    CHECK(bad.code == 2);
  }
}

TEST_CASE("image build: pushed before, but the registry lost the blobs: pushed the whole way again", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  Run first = hoist_cli(ws, app_build_args(server, "scratch", "v1"));
  INFO(first.out << first.err);
  REQUIRE(first.code == 0);
  const std::string digest = pushed_digest(first);
  // The repository's links to its blobs, gone as after a garbage collection (Distribution's storage layout).
  const fs::path layers = server.dir() / "registry-data/docker/registry/v2/repositories" / server.repository("app") / "_layers";
  REQUIRE(fs::exists(layers));
  fs::remove_all(layers);

  Run second = hoist_cli(ws, app_build_args(server, "scratch", "v2"));
  INFO(second.out << second.err);
  REQUIRE(second.code == 0);
  CHECK_THAT(second.all(), Catch::Contains("pushed here before, but the registry refused the manifest") &&
                               Catch::Contains("pushing it all again"));
  CHECK_THAT(second.out, Catch::Contains("uploaded 2 blobs"));
  CHECK(pushed_digest(second) == digest);
  CHECK(tag_digest(server, "app", "v2") == digest);
  auto inspect = run({"skopeo", "inspect", "--tls-verify=false", "docker://" + server.image("app") + ":v2"});
  CHECK(inspect.ok());

  Run third = hoist_cli(ws, app_build_args(server, "scratch", "v3"));
  INFO(third.out << third.err);
  REQUIRE(third.code == 0);
  CHECK_THAT(third.out, Catch::Contains("only the tags were put") && Catch::Contains("uploaded 0 blobs (0 bytes)"));
  CHECK(tag_digest(server, "app", "v3") == digest);
}

TEST_CASE("image build on a base from the registry: base layers mounted, then the app layer", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  Run base = hoist_cli(ws, {"image", "build", "--base", "scratch", "--image", server.image("base"), "--tag", "1.0",
                            "--layer", "base/etc:/etc", "--env", "PATH=/usr/bin:/bin", "--cmd", "sh"});
  INFO(base.out << base.err);
  REQUIRE(base.code == 0);
  Run app = hoist_cli(ws, app_build_args(server, server.image("base") + ":1.0", "v1"));
  INFO(app.out << app.err);
  REQUIRE(app.code == 0);
  CHECK_THAT(app.out, Catch::Contains("uploaded 2 blobs") && Catch::Contains(", mounted 2,"));  // base: config + layer
  CHECK_THAT(app.out, Catch::Contains("[image] ✓ mounted sha256:") && Catch::Contains("(from another repository)"));
  Run again = hoist_cli(ws, app_build_args(server, server.image("base") + ":1.0", "v2"));
  INFO(again.out << again.err);
  REQUIRE(again.code == 0);
  CHECK_THAT(again.out, Catch::Contains("uploaded 0 blobs (0 bytes), mounted 0"));

  auto inspect = run({"skopeo", "inspect", "--tls-verify=false", "docker://" + server.image("app") + ":v1"});
  REQUIRE(inspect.ok());
  auto base_inspect = run({"skopeo", "inspect", "--tls-verify=false", "docker://" + server.image("base") + ":1.0"});
  REQUIRE(base_inspect.ok());
  json layers = json::parse(inspect.out)["Layers"];
  json base_layers = json::parse(base_inspect.out)["Layers"];
  REQUIRE(layers.size() == 2);
  REQUIRE(base_layers.size() == 1);
  CHECK(layers[0] == base_layers[0]);
  json env = json::parse(inspect.out)["Env"];
  CHECK(env == json::array({"PATH=/usr/bin:/bin", "PORT=8080", "MODE=prod"}));

  auto copy = run({"skopeo", "copy", "--src-tls-verify=false", "docker://" + server.image("app") + ":v1",
                   "oci:" + ws.dir.file("layout") + ":v1"});
  REQUIRE(copy.ok());
  auto unpack = run({"umoci", "unpack", "--rootless", "--image", ws.dir.file("layout") + ":v1", ws.dir.file("bundle")});
  INFO(unpack.err);
  REQUIRE(unpack.ok());
  CHECK(files_under(ws.dir / "bundle/rootfs") == std::set<std::string>{"app/", "app/server", "app/static/",
                                                                         "app/static/index.html", "etc/",
                                                                         "etc/os-release"});
}

TEST_CASE("image build for two platforms on a two-platform base makes an index", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  Run base = hoist_cli(ws, {"image", "build", "--base", "scratch", "--image", server.image("base"), "--tag", "1",
                            "--layer", "base/etc:/etc", "--platform", "linux/amd64", "--platform", "linux/arm64/v8"});
  INFO(base.out << base.err);
  REQUIRE(base.code == 0);
  std::vector<std::string> args = app_build_args(server, server.image("base") + ":1", "multi");
  for (const char* p : {"linux/amd64", "linux/arm64/v8"}) args.insert(args.end(), {"--platform", p});
  Run app = hoist_cli(ws, args);
  INFO(app.out << app.err);
  REQUIRE(app.code == 0);
  auto raw = run({"skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + server.image("app") + ":multi"});
  REQUIRE(raw.ok());
  json index = json::parse(raw.out);
  CHECK(index["mediaType"] == "application/vnd.oci.image.index.v1+json");
  REQUIRE(index["manifests"].size() == 2);
  std::set<std::string> archs;
  for (const auto& m : index["manifests"]) archs.insert(m["platform"]["architecture"].get<std::string>());
  CHECK(archs == std::set<std::string>{"amd64", "arm64"});
  for (const char* arch : {"amd64", "arm64"}) {
    std::vector<std::string> argv{"skopeo", "inspect", "--tls-verify=false", "--override-arch", arch};
    if (std::string(arch) == "arm64") argv.insert(argv.end(), {"--override-variant", "v8"});
    argv.push_back("docker://" + server.image("app") + ":multi");
    auto one = run(argv);
    INFO(arch << one.err);
    REQUIRE(one.ok());
    CHECK(json::parse(one.out)["Layers"].size() == 2);
    CHECK(json::parse(one.out)["Architecture"] == arch);
  }
}

TEST_CASE("image build against an auth registry: works with credentials, fails cleanly without", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::basic_auth);
  Workspace ws;
  SECTION("with credentials from the environment") {
    Run ok = hoist_cli(ws, app_build_args(server, "scratch", "v1"),
                       {{"HOIST_REGISTRY_USERNAME", server.username()}, {"HOIST_REGISTRY_PASSWORD", server.password()},
                        {"HOIST_DEBUG", "1"}});
    INFO(ok.out << ok.err);
    REQUIRE(ok.code == 0);
    CHECK(tag_digest(server, "app", "v1") == pushed_digest(ok));
    CHECK_THAT(ok.all(), Catch::Contains("PUT http://" + server.host() + "/v2/" + server.repository("app") +
                                       "/manifests/v1 -> 201"));
    CHECK(ok.all().find(server.password()) == std::string::npos);
  }
  SECTION("with a wrong password: a clear error, no secret, no tag") {
    const std::string wrong = "wrong-" + server.password();
    Run bad = hoist_cli(ws, app_build_args(server, "scratch", "v1"),
                        {{"HOIST_REGISTRY_USERNAME", server.username()}, {"HOIST_REGISTRY_PASSWORD", wrong}});
    INFO(bad.out << bad.err);
    CHECK(bad.code == 1);
    CHECK(bad.all().find(wrong) == std::string::npos);
    CHECK_THAT(bad.all(), Catch::Contains("401") || Catch::Contains("unauthorized") || Catch::Contains("denied"));
    CHECK(tag_digest(server, "app", "v1").empty());
  }
  SECTION("without credentials") {
    Run none = hoist_cli(ws, app_build_args(server, "scratch", "v1"));
    INFO(none.out << none.err);
    CHECK(none.code == 1);
    CHECK(tag_digest(server, "app", "v1").empty());
  }
}

TEST_CASE("image build against a TLS registry with --ca-file", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::tls);
  Workspace ws;
  std::vector<std::string> args = app_build_args(server, "scratch", "v1");
  Run no_ca = hoist_cli(ws, args);
  CHECK(no_ca.code == 1);
  CHECK(tag_digest(server, "app", "v1").empty());
  args.insert(args.end(), {"--ca-file", server.ca_file().string()});
  Run ok = hoist_cli(ws, args);
  INFO(ok.out << ok.err);
  REQUIRE(ok.code == 0);
  CHECK(tag_digest(server, "app", "v1") == pushed_digest(ok));
}

TEST_CASE("image build errors: each clear, nothing pushed", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  SECTION("unknown base") {
    Run r = hoist_cli(ws, app_build_args(server, server.image("nobase") + ":1", "v1"));
    CHECK(r.code == 1);
    CHECK_THAT(r.all(), Catch::Contains("not found") && Catch::Contains(server.repository("nobase")));
  }
  SECTION("missing src") {
    Run r = hoist_cli(ws, {"image", "build", "--base", "scratch", "--image", server.image("app"), "--tag", "v1",
                           "--layer", "dist/missing:/app"});
    CHECK(r.code == 2);  // bad input found when the step runs: the step's exit code is the command's
    CHECK_THAT(r.all(), Catch::Contains("src 'dist/missing' does not exist"));
  }
  SECTION("dest escaping the image root") {
    Run r = hoist_cli(ws, {"image", "build", "--base", "scratch", "--image", server.image("app"), "--tag", "v1",
                           "--layer", "app:/../../etc"});
    CHECK(r.code == 2);  // found when the flags are checked, before anything runs
    CHECK_THAT(r.all(), Catch::Contains("outside the image root"));
  }
  SECTION("bad image reference") {
    Run r = hoist_cli(ws, {"image", "build", "--base", "scratch", "--image", "Not A Ref", "--layer", "app:/app"});
    CHECK(r.code == 2);
  }
  CHECK(tag_digest(server, "app", "v1").empty());
}

TEST_CASE("image/build with a 1 MB tag fails with a clear error, no crash", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  // The tag is built from environment variables: one argument or variable is at most 128 KiB (MAX_ARG_STRLEN).
  std::map<std::string, std::string> env;
  std::string tag;
  for (int i = 0; i < 9; ++i) {
    env["PART" + std::to_string(i)] = std::string(120000, i % 2 ? 'v' : '.');
    tag += "${PART" + std::to_string(i) + "}";
  }
  for (const std::string& t : {std::string("v") + tag, std::string(129, 'v'), std::string("v") + tag + "/"}) {
    std::ofstream(ws.build() / "pipeline.yaml") << "version: 1\nname: img\nsteps:\n"
        "  - id: image\n    uses: image/build\n    with:\n      base: scratch\n      image: " << server.image("app")
        << "\n      tags: [\"" << t << "\"]\n      layers:\n        - {src: app, dest: /app}\n";
    Run r = hoist_cli(ws, {"run", "pipeline.yaml"}, env);
    CHECK(r.code == 2);  // an invalid tag is bad input, also when it comes from variables
    if (t.size() > 129) CHECK(r.all().size() > (1u << 20));  // the whole tag is in the message: it was expanded
    CHECK_THAT(r.all().substr(0, 2000) + r.all().substr(std::max<std::size_t>(r.all().size(), 2000) - 2000),
               Catch::Contains("is not a valid tag (letters, digits, _ . -, at most 128)"));
  }
  CHECK(tag_digest(server, "app", "latest").empty());
}

TEST_CASE("image build --plan uploads nothing and creates no tag", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  std::vector<std::string> args = app_build_args(server, "scratch", "v1");
  args.push_back("--plan");
  Run plan = hoist_cli(ws, args);
  INFO(plan.out << plan.err);
  REQUIRE(plan.code == 0);
  CHECK_THAT(plan.out, Catch::Contains("would upload"));
  CHECK_THAT(plan.out, Catch::Contains("would put manifest sha256:"));
  CHECK(tag_digest(server, "app", "v1").empty());
  Run push = hoist_cli(ws, app_build_args(server, "scratch", "v1"));
  REQUIRE(push.code == 0);
  CHECK_THAT(plan.out, Catch::Contains(pushed_digest(push)));  // the plan named the digest the push made
  Run tag_plan = hoist_cli(ws, {"image", "tag", server.image("app") + ":v1", "--tag", "prod", "--plan"});
  REQUIRE(tag_plan.code == 0);
  CHECK_THAT(tag_plan.out, Catch::Contains("would tag"));
  CHECK(tag_digest(server, "app", "prod").empty());
}

TEST_CASE("image copy across two registries keeps the digest", "[imagestep]") {
  RegistryServer src(RegistryServer::Mode::plain);
  RegistryServer dst(RegistryServer::Mode::basic_auth);
  Workspace ws;
  Run build = hoist_cli(ws, app_build_args(src, "scratch", "v1"));
  REQUIRE(build.code == 0);
  Run copy = hoist_cli(ws, {"image", "copy", src.image("app") + ":v1", dst.image("mirror")},
                       {{"HOIST_REGISTRY_USERNAME", dst.username()}, {"HOIST_REGISTRY_PASSWORD", dst.password()}});
  INFO(copy.out << copy.err);
  REQUIRE(copy.code == 0);
  CHECK(tag_digest(dst, "mirror", "v1") == pushed_digest(build));
  CHECK(copy.all().find(dst.password()) == std::string::npos);
}

TEST_CASE("image/build and image/tag as pipeline steps, the digest passed on as a step output", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  std::ofstream(ws.build() / "pipeline.yaml") << "version: 1\nname: img\nvars:\n  IMAGE: " << server.image("app")
      << "\nsteps:\n"
         "  - id: image\n    uses: image/build\n    with:\n      base: scratch\n      image: ${IMAGE}\n"
         "      tags: [\"${COMMIT_SHORT_SHA}\"]\n      layers:\n        - {src: app, dest: /app}\n"
         "      entrypoint: [/app/server]\n"
         "  - id: promote\n    uses: image/tag\n    needs: [image]\n    with:\n"
         "      image: ${steps.image.ref}\n      tags: [qa]\n"
         "  - id: show\n    needs: [promote]\n    run: echo \"tagged ${steps.promote.digest}\"\n";
  Run r = hoist_cli(ws, {"run", "pipeline.yaml", "--dotenv", ws.dir.file("out.env")});
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  std::string digest = tag_digest(server, "app", kSha.substr(0, 8));
  REQUIRE(!digest.empty());
  CHECK(tag_digest(server, "app", "qa") == digest);
  CHECK_THAT(r.out, Catch::Contains("tagged " + digest));
  std::ifstream env_file(ws.dir / "out.env");
  std::string env((std::istreambuf_iterator<char>(env_file)), {});
  CHECK_THAT(env, Catch::Contains("IMAGE_DIGEST=" + digest) && Catch::Contains("IMAGE_TAGS=" + kSha.substr(0, 8)) &&
                      Catch::Contains("IMAGE_REF=" + server.image("app") + "@" + digest) &&
                      Catch::Contains("PROMOTE_DIGEST=" + digest));
}

TEST_CASE("image copy --plan resolves the digest and writes nothing", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Workspace ws;
  Run build = hoist_cli(ws, app_build_args(server, "scratch", "v1"));
  REQUIRE(build.code == 0);
  Run plan = hoist_cli(ws, {"image", "copy", server.image("app") + ":v1", server.image("prod") + ":v1", "--plan"});
  INFO(plan.out << plan.err);
  REQUIRE(plan.code == 0);
  CHECK_THAT(plan.out, Catch::Contains("would copy") && Catch::Contains(pushed_digest(build)));
  CHECK(tag_digest(server, "prod", "v1").empty());
}

TEST_CASE("hoist image: usage errors exit 2 before anything runs", "[imagestep]") {
  Workspace ws;
  CHECK(hoist_cli(ws, {"image"}).code == 2);
  Run unknown = hoist_cli(ws, {"image", "biuld"});
  CHECK(unknown.code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown subcommand 'biuld'"));
  Run wrong = hoist_cli(ws, {"image", "tag", "127.0.0.1:5/a/b:1", "--tag", "x", "--layer", "a:/a"});
  CHECK(wrong.code == 2);
  CHECK_THAT(wrong.err, Catch::Contains("--layer is not an option of this subcommand"));
  Run no_image = hoist_cli(ws, {"image", "build", "--base", "scratch"});
  CHECK(no_image.code == 2);
  CHECK_THAT(no_image.err, Catch::Contains("--image is required"));
  Run bad_layer = hoist_cli(ws, {"image", "build", "--base", "scratch", "--image", "127.0.0.1:5/a/b", "--layer", "app"});
  CHECK(bad_layer.code == 2);
  CHECK_THAT(bad_layer.err, Catch::Contains("--layer expects SRC:DEST"));
  Run help = hoist_cli(ws, {"image", "build", "--help"});
  CHECK(help.code == 0);
  CHECK_THAT(help.out, Catch::Contains("usage: hoist image build|tag|copy|digest"));
}
