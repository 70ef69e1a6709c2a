// What is attached to an image travels with it: `hoist image copy` and promotion copies take the signatures, SBOMs
// and attestations attached to the digest along. Distribution 2.8 (the real registry here) has no referrers API,
// so attachments live under the tag scheme cosign and the OCI 1.1 fallback use (`sha256-<hex>`,
// `sha256-<hex>.sig`); they are pushed here with the registry client the way cosign would, and read back at the
// destination with skopeo.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "steps/digest/sha256.hpp"
#include "steps/gate/image_resolver.hpp"
#include "steps/registry/client.hpp"
#include "steps/registry/referrers.hpp"
#include "tests/support/command.hpp"
#include "tests/support/fault_proxy.hpp"
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

registry::ClientOptions options_for(const RegistryServer& server) {
  registry::ClientOptions o;
  o.use_docker_config = false;
  if (!server.username().empty()) o.credentials[server.host()] = {server.username(), server.password()};
  return o;
}

const std::string kOciManifest = "application/vnd.oci.image.manifest.v1+json";
const std::string kOciIndex = "application/vnd.oci.image.index.v1+json";

// Pushes an artifact manifest with one layer (`payload` of `layer_type`) and the empty config, as cosign does for a
// signature, under `tag` (or by digest when `tag` is empty); `subject` makes it an OCI 1.1 referrer. Returns it.
registry::Manifest push_artifact(registry::RegistryClient& client, const registry::Reference& repo,
                                 const std::string& tag, const std::string& layer_type, const std::string& payload,
                                 const std::optional<registry::Manifest>& subject = std::nullopt) {
  const std::string empty = "{}";
  client.push_blob(repo, registry::StringBody(empty), sha256_digest(empty));
  client.push_blob(repo, registry::StringBody(payload), sha256_digest(payload));
  json m{{"schemaVersion", 2},
         {"mediaType", kOciManifest},
         {"config", {{"mediaType", "application/vnd.oci.empty.v1+json"}, {"digest", sha256_digest(empty)}, {"size", 2}}},
         {"layers", json::array({{{"mediaType", layer_type}, {"digest", sha256_digest(payload)},
                                  {"size", payload.size()},
                                  {"annotations", {{"dev.cosignproject.cosign/signature", "MEUCIQ-fake"}}}}})}};
  if (subject) {
    m["artifactType"] = layer_type;
    m["subject"] = {{"mediaType", subject->media_type}, {"digest", subject->digest}, {"size", subject->bytes.size()}};
  }
  registry::Manifest manifest = registry::Manifest::from_bytes(m.dump(), kOciManifest);
  client.put_manifest(tag.empty() ? repo.with_digest(manifest.digest) : repo.with_tag(tag), manifest);
  return manifest;
}

// An app image built by hoist, with a cosign-style signature, an OCI 1.1 fallback index listing an SBOM, and an
// unrelated signature of another digest next to them.
struct SignedImage {
  test::TempDir dir{"hoist-attached"};
  std::string digest, sig_digest, index_digest, sbom_digest, unrelated_tag;
  std::size_t sbom_size = 0;

  explicit SignedImage(const RegistryServer& server) {
    fs::create_directories(dir / "docker");
    test::write_tree_file(dir / "ctx/app/hello", "hello\n");
    HoistRun build = test::run_hoist({"image", "build", "--base", "scratch", "--image", server.image("app"), "--tag",
                                      "v1", "--layer", "app:/app"},
                                     {{"DOCKER_CONFIG", dir.file("docker")}, {"HOIST_CACHE", dir.file("cache")}},
                                     dir.file("ctx"));
    INFO(build.out << build.err);
    REQUIRE(build.code == 0);
    registry::RegistryClient client(options_for(server));
    registry::Reference repo = registry::parse_reference(server.image("app"));
    registry::Manifest image = client.get_manifest(repo.with_tag("v1"));
    digest = image.digest;
    const std::string tag = registry::fallback_tag(digest);
    sig_digest = push_artifact(client, repo, tag + ".sig", "application/vnd.dev.cosign.simplesigning.v1+json",
                               R"({"critical":{"image":{"docker-manifest-digest":")" + digest + "\"}}}").digest;
    registry::Manifest sbom = push_artifact(client, repo, "", "application/spdx+json", R"({"spdxVersion":"SPDX-2.3"})",
                                            image);
    sbom_digest = sbom.digest;
    sbom_size = sbom.bytes.size();
    json index{{"schemaVersion", 2}, {"mediaType", kOciIndex},
               {"manifests", json::array({{{"mediaType", kOciManifest}, {"digest", sbom.digest},
                                           {"size", sbom.bytes.size()}, {"artifactType", "application/spdx+json"}}})}};
    registry::Manifest fallback = registry::Manifest::from_bytes(index.dump(), kOciIndex);
    client.put_manifest(repo.with_tag(tag), fallback);
    index_digest = fallback.digest;
    unrelated_tag = registry::fallback_tag(sha256_digest("another image")) + ".sig";
    push_artifact(client, repo, unrelated_tag, "application/vnd.dev.cosign.simplesigning.v1+json", "{}");
  }
};

std::map<std::string, std::string> hoist_env(const SignedImage& s) {
  return {{"DOCKER_CONFIG", s.dir.file("docker")}, {"HOIST_CACHE", s.dir.file("cache")}};
}

// The digest skopeo reads for `image` (a tool nobody here wrote), or "" when it finds nothing.
std::string skopeo_digest(const std::string& image) {
  test::CommandResult r = test::run_command(
      test::Command{{"skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + image}, {}, {}, "", ""});
  return r.ok() ? sha256_digest(r.out) : "";
}

}  // namespace

TEST_CASE("image copy takes the signature and the fallback referrers index along, across registries",
          "[imagestep]") {
  RegistryServer src(RegistryServer::Mode::plain);
  RegistryServer dst(RegistryServer::Mode::basic_auth);
  SignedImage signed_image(src);
  registry::RegistryClient client(options_for(src));
  // Distribution 2.8 has no referrers API: the client must see that, not an error.
  CHECK_FALSE(client.get_referrers(registry::parse_reference(src.image("app")), signed_image.digest));

  HoistRun copy = test::run_hoist({"image", "copy", src.image("app") + ":v1", dst.image("mirror") + ":v1"},
                                  {{"DOCKER_CONFIG", signed_image.dir.file("docker")},
                                   {"HOIST_CACHE", signed_image.dir.file("cache")},
                                   {"HOIST_REGISTRY_USERNAME", dst.username()},
                                   {"HOIST_REGISTRY_PASSWORD", dst.password()}},
                                  signed_image.dir.file("ctx"));
  INFO(copy.out << copy.err);
  REQUIRE(copy.code == 0);
  const std::string tag = registry::fallback_tag(signed_image.digest);
  CHECK_THAT(copy.out, Catch::Contains("copied attached " + tag + ".sig (tag scheme)") &&
                           Catch::Contains("copied attached " + tag + " (tag scheme)"));
  CHECK(copy.out.find(signed_image.unrelated_tag) == std::string::npos);

  registry::RegistryClient at_dst(options_for(dst));
  registry::Reference mirror = registry::parse_reference(dst.image("mirror"));
  CHECK(at_dst.get_manifest(mirror.with_tag("v1")).digest == signed_image.digest);
  CHECK(at_dst.get_manifest(mirror.with_tag(tag + ".sig")).digest == signed_image.sig_digest);
  CHECK(at_dst.get_manifest(mirror.with_tag(tag)).digest == signed_image.index_digest);
  // The SBOM the fallback index lists came too, with its blobs, by digest.
  registry::Manifest sbom = at_dst.get_manifest(mirror.with_digest(signed_image.sbom_digest));
  for (const auto& blob : sbom.blobs()) CHECK(at_dst.blob_exists(mirror, blob.digest));
  registry::Manifest sig = at_dst.get_manifest(mirror.with_tag(tag + ".sig"));
  for (const auto& blob : sig.blobs()) CHECK(at_dst.blob_exists(mirror, blob.digest));
  std::vector<std::string> tags = at_dst.list_tags(mirror);
  CHECK(std::find(tags.begin(), tags.end(), signed_image.unrelated_tag) == tags.end());
  CHECK(tags.size() == 3);  // v1, the signature, the fallback index
}

TEST_CASE("a promotion copy takes what is attached along, read back by skopeo", "[imagestep]") {
  RegistryServer server(RegistryServer::Mode::plain);
  SignedImage signed_image(server);
  auto resolver = promote::make_registry_resolver();
  resolver->copy(server.image("app") + "@" + signed_image.digest, server.image("prod"), {"1.0"});
  const std::string tag = registry::fallback_tag(signed_image.digest);
  CHECK(skopeo_digest(server.image("prod") + ":1.0") == signed_image.digest);
  CHECK(skopeo_digest(server.image("prod") + ":" + tag + ".sig") == signed_image.sig_digest);
  CHECK(skopeo_digest(server.image("prod") + ":" + tag) == signed_image.index_digest);
  CHECK(skopeo_digest(server.image("prod") + "@" + signed_image.sbom_digest) == signed_image.sbom_digest);
  CHECK(skopeo_digest(server.image("prod") + ":" + signed_image.unrelated_tag).empty());

  SECTION("an image with nothing attached copies just the image") {
    registry::RegistryClient client(options_for(server));
    registry::AttachedCopy none =
        registry::copy_attached(client, registry::parse_reference(server.image("prod")),
                                registry::parse_reference(server.image("other")), sha256_digest("nothing"));
    CHECK(none.copied.empty());
    CHECK_FALSE(none.referrers_api);
  }
}

TEST_CASE("image copy through the referrers API: each referrer by digest, and the fallback tag where the destination "
          "has no API", "[imagestep]") {
  RegistryServer src(RegistryServer::Mode::plain);
  RegistryServer dst(RegistryServer::Mode::plain);
  SignedImage signed_image(src);
  // Distribution 2.8 has no referrers API. A proxy in front of it answers that one endpoint the way the OCI
  // distribution spec documents it (an OCI index of the manifests whose subject is the digest), listing the SBOM
  // that really is in the registry; every other request reaches the real registry.
  test::FaultProxy proxy(src.host());
  json referrers{{"schemaVersion", 2}, {"mediaType", kOciIndex},
                 {"manifests", json::array({{{"mediaType", kOciManifest}, {"digest", signed_image.sbom_digest},
                                             {"size", signed_image.sbom_size},
                                             {"artifactType", "application/spdx+json"}}})}};
  test::FaultProxy::Rule api;
  api.method = "GET";
  api.path_contains = "/referrers/" + signed_image.digest;
  api.status = 200;
  api.body = referrers.dump();
  api.content_type = kOciIndex;
  proxy.add_rule(api);

  const std::string via_proxy = proxy.host() + "/" + src.repository("app");
  HoistRun copy = test::run_hoist({"image", "copy", via_proxy + ":v1", dst.image("mirror") + ":v1"},
                                  hoist_env(signed_image), signed_image.dir.file("ctx"));
  INFO(copy.out << copy.err);
  REQUIRE(copy.code == 0);
  CHECK(proxy.faults_injected() == 1);  // the referrers endpoint was asked, once
  CHECK_THAT(copy.out, Catch::Contains("copied attached " + signed_image.sbom_digest + " (referrers API)"));
  CHECK(copy.out.find(".sig") == std::string::npos);  // the API answered: the tag scheme was not consulted

  registry::RegistryClient at_dst(options_for(dst));
  registry::Reference mirror = registry::parse_reference(dst.image("mirror"));
  CHECK(at_dst.get_manifest(mirror.with_digest(signed_image.sbom_digest)).digest == signed_image.sbom_digest);
  // The destination (Distribution 2.8) has no API either: the referrer is listed under the fallback tag.
  registry::Manifest fallback = at_dst.get_manifest(mirror.with_tag(registry::fallback_tag(signed_image.digest)));
  REQUIRE(fallback.is_index());
  REQUIRE(fallback.children().size() == 1);
  CHECK(fallback.children()[0].digest == signed_image.sbom_digest);
  CHECK(json::parse(fallback.bytes)["manifests"][0]["artifactType"] == "application/spdx+json");
}
