// Provenance that describes the build: the revision and source labels of the config and the annotations of the
// manifest (org.opencontainers.image.created, .source, .revision, .base.name, .base.digest), exact values read
// back from a real registry (Distribution 2.8 on loopback) after `hoist image build`.
#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "steps/registry/client.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace hoist;
using nlohmann::json;
using test::HoistRun;
using test::RegistryServer;

namespace {

const std::string kBaseSha = "1111111111111111111111111111111111111111";
const std::string kAppSha = "2222222222222222222222222222222222222222";
const std::string kCreated = "2023-11-14T22:13:20Z";  // SOURCE_DATE_EPOCH=1700000000

struct Provenance {
  test::TempDir dir{"hoist-provenance"};
  Provenance() {
    fs::create_directories(dir / "docker");
    test::write_tree_file(dir / "ctx/app/hello", "hello\n");
  }
  // A CI job of `project` at `sha` (GitLab's variables), or no CI facts at all when `sha` is empty.
  HoistRun build(std::vector<std::string> args, const std::string& sha, const std::string& project,
                 const std::string& cache = "cache", const std::string& epoch = "1700000000") const {
    std::map<std::string, std::string> env{{"DOCKER_CONFIG", dir.file("docker")}, {"HOIST_CACHE", dir.file(cache)}};
    if (!epoch.empty()) env["SOURCE_DATE_EPOCH"] = epoch;
    if (!sha.empty()) env.insert({{"GITLAB_CI", "true"}, {"CI_COMMIT_SHA", sha}, {"CI_PROJECT_URL", project}});
    args.insert(args.begin(), {"image", "build"});
    return test::run_hoist(args, env, dir.file("ctx"), std::chrono::seconds(180));
  }
};

registry::RegistryClient client() {
  registry::ClientOptions o;
  o.use_docker_config = false;
  return registry::RegistryClient(o);
}

registry::Manifest manifest(const std::string& ref) { return client().get_manifest(registry::parse_reference(ref)); }

json config_labels(const std::string& ref) {
  registry::Reference r = registry::parse_reference(ref);
  registry::RegistryClient c = client();
  registry::Manifest m = c.get_image_manifest(r);
  std::string bytes;
  c.get_blob(r, m.blobs().front().digest, [&](std::string_view chunk) { bytes += chunk; });
  json config = json::parse(bytes);
  return config["config"].value("Labels", json::object());
}

json annotations(const registry::Manifest& m) { return json::parse(m.bytes).value("annotations", json::object()); }

}  // namespace

TEST_CASE("provenance: labels and annotations describe this build, never the base's", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Provenance p;
  HoistRun base = p.build({"--base", "scratch", "--image", server.image("base"), "--tag", "1", "--layer", "app:/base",
                           "--label", "team=platform"},
                          kBaseSha, "https://git.example.invalid/base");
  INFO(base.out << base.err);
  REQUIRE(base.code == 0);
  const std::string base_ref = server.image("base") + ":1";
  registry::Manifest base_manifest = manifest(base_ref);
  CHECK(config_labels(base_ref) == json{{"org.opencontainers.image.revision", kBaseSha},
                                        {"org.opencontainers.image.source", "https://git.example.invalid/base"},
                                        {"team", "platform"}});
  INFO(base_manifest.bytes);
  CHECK(annotations(base_manifest) == json{{"org.opencontainers.image.created", kCreated},
                                           {"org.opencontainers.image.revision", kBaseSha},
                                           {"org.opencontainers.image.source", "https://git.example.invalid/base"}});

  const std::vector<std::string> app_args{"--base", base_ref, "--image", server.image("app"), "--layer", "app:/app"};
  auto with_tag = [&](const std::string& tag) {
    std::vector<std::string> a = app_args;
    a.insert(a.end(), {"--tag", tag});
    return a;
  };

  SECTION("a build with its own revision and source: those, and the base it was built on") {
    HoistRun app = p.build(with_tag("v1"), kAppSha, "https://git.example.invalid/app");
    INFO(app.out << app.err);
    REQUIRE(app.code == 0);
    CHECK(config_labels(server.image("app") + ":v1") ==
          json{{"org.opencontainers.image.revision", kAppSha},
               {"org.opencontainers.image.source", "https://git.example.invalid/app"},
               {"team", "platform"}});
    registry::Manifest m = manifest(server.image("app") + ":v1");
    CHECK(annotations(m) == json{{"org.opencontainers.image.created", kCreated},
                                 {"org.opencontainers.image.revision", kAppSha},
                                 {"org.opencontainers.image.source", "https://git.example.invalid/app"},
                                 {"org.opencontainers.image.base.name", base_ref},
                                 {"org.opencontainers.image.base.digest", base_manifest.digest}});
    // Reproducible: another machine (a fresh content store) makes the same bytes, annotations and all.
    HoistRun again = p.build(with_tag("v1-again"), kAppSha, "https://git.example.invalid/app", "cache2");
    REQUIRE(again.code == 0);
    CHECK(manifest(server.image("app") + ":v1-again").digest == m.digest);
  }
  SECTION("a build without revision and source clears the base's instead of claiming them") {
    HoistRun app = p.build(with_tag("local"), "", "");
    INFO(app.out << app.err);
    REQUIRE(app.code == 0);
    CHECK(config_labels(server.image("app") + ":local") == json{{"team", "platform"}});
    CHECK(annotations(manifest(server.image("app") + ":local")) ==
          json{{"org.opencontainers.image.created", kCreated},
               {"org.opencontainers.image.base.name", base_ref},
               {"org.opencontainers.image.base.digest", base_manifest.digest}});
  }
  SECTION("without SOURCE_DATE_EPOCH the created time is the epoch, so builds stay reproducible") {
    HoistRun app = p.build(with_tag("noepoch"), "", "", "cache", "");
    INFO(app.out << app.err);
    REQUIRE(app.code == 0);
    CHECK(annotations(manifest(server.image("app") + ":noepoch"))["org.opencontainers.image.created"] ==
          "1970-01-01T00:00:00Z");
  }
}

TEST_CASE("provenance of a multi-platform build: the index and each platform manifest", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  Provenance p;
  HoistRun base = p.build({"--base", "scratch", "--image", server.image("base"), "--tag", "1", "--layer", "app:/base",
                           "--platform", "linux/amd64", "--platform", "linux/arm64/v8"},
                          kBaseSha, "https://git.example.invalid/base");
  REQUIRE(base.code == 0);
  const std::string base_ref = server.image("base") + ":1";
  HoistRun app = p.build({"--base", base_ref, "--image", server.image("app"), "--tag", "v1", "--layer", "app:/app",
                          "--platform", "linux/amd64", "--platform", "linux/arm64/v8"},
                         kAppSha, "https://git.example.invalid/app");
  INFO(app.out << app.err);
  REQUIRE(app.code == 0);
  registry::Manifest index = manifest(server.image("app") + ":v1");
  REQUIRE(index.is_index());
  CHECK(annotations(index) == json{{"org.opencontainers.image.created", kCreated},
                                   {"org.opencontainers.image.revision", kAppSha},
                                   {"org.opencontainers.image.source", "https://git.example.invalid/app"},
                                   {"org.opencontainers.image.base.name", base_ref}});
  registry::Manifest base_index = manifest(base_ref);
  for (const auto& child : index.children()) {
    INFO(registry::to_string(*child.platform));
    auto base_child = registry::pick_platform(base_index, *child.platform);
    REQUIRE(base_child);
    registry::Manifest m = manifest(server.image("app") + "@" + child.digest);
    CHECK(annotations(m)["org.opencontainers.image.base.digest"] == base_child->digest);
    CHECK(annotations(m)["org.opencontainers.image.revision"] == kAppSha);
  }
}
