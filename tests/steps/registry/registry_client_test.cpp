// The registry client against real Distribution 2.8 registries on loopback (plain, basic auth, TLS, both): push,
// skip, mount, copy, tag, auth and TLS failures, docker config credentials, and retries through a fault proxy.

#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>
#include <random>

#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/fault_proxy.hpp"
#include "tests/support/log_lines.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist::registry;
using hoist::sha256_digest;
using hoist::test::FaultProxy;
using hoist::test::RegistryServer;
using hoist::test::TempDir;

namespace {

using Log = hoist::test::LogLines;

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

BlobFile write_blob(const TempDir& dir, const std::string& name, const std::string& bytes, std::string media_type) {
  std::ofstream(dir.file(name), std::ios::binary) << bytes;
  return BlobFile{dir / name, sha256_digest(bytes), bytes.size(), std::move(media_type)};
}

// A small image: a config and two layers as files, and an OCI manifest over them.
struct TestImage {
  std::vector<BlobFile> blobs;
  Manifest manifest;
  std::uint64_t blob_bytes = 0;
};

TestImage make_image(const TempDir& dir, unsigned seed, size_t layer_size = 300 * 1024) {
  TestImage img;
  std::string config = R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"seed":)" +
                       std::to_string(seed) + "}";
  img.blobs.push_back(write_blob(dir, "config" + std::to_string(seed), config, "application/vnd.oci.image.config.v1+json"));
  img.blobs.push_back(write_blob(dir, "layer-a" + std::to_string(seed), random_bytes(layer_size, seed),
                                 "application/vnd.oci.image.layer.v1.tar+gzip"));
  img.blobs.push_back(write_blob(dir, "layer-b" + std::to_string(seed), random_bytes(1000, seed + 1),
                                 "application/vnd.oci.image.layer.v1.tar+gzip"));
  auto desc = [](const BlobFile& b) {
    return R"({"mediaType":")" + b.media_type + R"(","digest":")" + b.digest + R"(","size":)" + std::to_string(b.size) + "}";
  };
  std::string m = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":)" +
                  desc(img.blobs[0]) + R"(,"layers":[)" + desc(img.blobs[1]) + "," + desc(img.blobs[2]) + "]}";
  img.manifest = Manifest::from_bytes(m);
  for (auto& b : img.blobs) img.blob_bytes += b.size;
  return img;
}

ClientOptions options_for(const RegistryServer& server, Log& log) {
  ClientOptions o;
  o.use_docker_config = false;
  o.ca_file = server.ca_file().string();
  if (!server.username().empty()) o.credentials[server.host()] = {server.username(), server.password()};
  o.retry.initial_delay = std::chrono::milliseconds(20);
  o.retry.max_delay = std::chrono::milliseconds(200);
  o.debug = log.logger();
  return o;
}

Reference ref(const RegistryServer& server, const std::string& name, const std::string& tag = "latest") {
  return parse_reference(server.image(name) + ":" + tag);
}

std::string fetch_blob(RegistryClient& client, const Reference& repo, const std::string& digest) {
  std::string out;
  client.get_blob(repo, digest, [&](std::string_view chunk) { out.append(chunk); });
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Pushes the image to `r` and checks it reads back exactly.
void push_and_verify(RegistryClient& client, const Reference& r, const TestImage& img) {
  TransferStats s = client.push_blobs(r, img.blobs);
  CHECK(s.blobs_uploaded == 3);
  CHECK(s.bytes_uploaded == img.blob_bytes);
  CHECK(client.put_manifest(r, img.manifest) == img.manifest.digest);
  Manifest back = client.get_manifest(r);
  CHECK(back.bytes == img.manifest.bytes);
  CHECK(back.digest == img.manifest.digest);
  CHECK(back.media_type == media_type::oci_manifest);
  CHECK(client.get_manifest(r.with_digest(img.manifest.digest)).digest == img.manifest.digest);
  CHECK(fetch_blob(client, r, img.blobs[1].digest) == read_file(img.blobs[1].path));
}

}  // namespace

TEST_CASE("registry: push, read back, and skip what exists (plain http)", "[registry]") {
  RegistryServer server(RegistryServer::Mode::plain);
  TempDir dir;
  Log log;
  RegistryClient client(options_for(server, log));
  TestImage img = make_image(dir, 1);
  Reference r = ref(server, "app", "v1");

  push_and_verify(client, r, img);
  CHECK(client.blob_exists(r, img.blobs[0].digest));
  CHECK_FALSE(client.blob_exists(r, sha256_digest("not there")));

  TransferStats again = client.push_blobs(r, img.blobs);
  CHECK(again.blobs_skipped == 3);
  CHECK(again.blobs_uploaded == 0);
  CHECK(again.bytes_uploaded == 0);

  std::string lines = log.all();
  CHECK_THAT(lines, Catch::Contains("GET http://" + server.host() + "/v2/ -> 200"));
  CHECK_THAT(lines, Catch::Contains("HEAD http://" + server.host() + "/v2/" + r.repository + "/blobs/" + img.blobs[0].digest + " -> 404"));
  CHECK_THAT(lines, Catch::Contains("PATCH http://"));
  CHECK(client.stats().bytes_uploaded == img.blob_bytes);
  CHECK(client.stats().manifests_put == 1);
}

TEST_CASE("registry: a blob whose bytes do not match its digest is refused", "[registry]") {
  RegistryServer server(RegistryServer::Mode::plain);
  TempDir dir;
  Log log;
  RegistryClient client(options_for(server, log));
  BlobFile b = write_blob(dir, "x", "hello", "application/octet-stream");
  b.digest = sha256_digest("something else");
  CHECK_THROWS_WITH(client.push_blobs(ref(server, "bad"), {b}), Catch::Contains(b.digest));
  CHECK_THROWS_WITH(client.get_manifest(ref(server, "bad", "nope")), Catch::Contains("manifest not found"));
}

TEST_CASE("registry: mount between repositories and copy within one registry move no bytes", "[registry]") {
  RegistryServer server(RegistryServer::Mode::plain);
  TempDir dir;
  Log log;
  RegistryClient client(options_for(server, log));
  TestImage img = make_image(dir, 2);
  Reference a = ref(server, "a", "1");
  push_and_verify(client, a, img);
  client.put_manifest(a, img.manifest);

  TransferStats mounted = client.push_blobs(ref(server, "b"), img.blobs, {a.repository});
  CHECK(mounted.blobs_mounted == 3);
  CHECK(mounted.bytes_uploaded == 0);
  CHECK(client.blob_exists(ref(server, "b"), img.blobs[1].digest));
  CHECK_THAT(log.all(), Catch::Contains("mount=" + img.blobs[1].digest + "&from=" + a.repository));

  // A mount from a repository that lacks the blob falls back to a normal upload (202 from the mount POST).
  TestImage other = make_image(dir, 3);
  TransferStats fallback = client.push_blobs(ref(server, "d"), other.blobs, {a.repository});
  CHECK(fallback.blobs_mounted == 0);
  CHECK(fallback.blobs_uploaded == 3);
  // ...continuing in the session the mount POST opened, not starting another one.
  for (const auto& line : log.lines) CHECK(line.find("/" + ref(server, "d").repository + "/blobs/uploads/ -> ") == std::string::npos);
  CHECK(fetch_blob(client, ref(server, "d"), other.blobs[1].digest) == read_file(other.blobs[1].path));

  CopyResult copy = client.copy_image(a, ref(server, "c", "promoted"));
  CHECK(copy.digest == img.manifest.digest);
  CHECK(copy.stats.bytes_uploaded == 0);
  CHECK(copy.stats.blobs_mounted == 3);
  CHECK(client.get_manifest(ref(server, "c", "promoted")).digest == img.manifest.digest);

  std::string tagged = client.tag_image(ref(server, "c", "promoted"), {"prod", "stable"});
  CHECK(tagged == img.manifest.digest);
  CHECK(client.get_manifest(ref(server, "c", "prod")).bytes == img.manifest.bytes);
  CHECK(client.get_manifest(ref(server, "c", "stable")).digest == img.manifest.digest);
}

TEST_CASE("registry: copy across registries streams blobs and preserves digests, indexes included", "[registry]") {
  RegistryServer src(RegistryServer::Mode::plain);
  RegistryServer dst(RegistryServer::Mode::basic_auth_tls);
  TempDir dir;
  Log log;
  ClientOptions o = options_for(dst, log);
  RegistryClient client(o);
  TestImage amd = make_image(dir, 4);
  TestImage arm = make_image(dir, 5);
  Reference s = ref(src, "multi");
  client.push_blobs(s, amd.blobs);
  client.push_blobs(s, arm.blobs);
  client.put_manifest(s.with_digest(amd.manifest.digest), amd.manifest);
  client.put_manifest(s.with_digest(arm.manifest.digest), arm.manifest);
  std::string index = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)"
                      R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + amd.manifest.digest +
                      R"(","size":)" + std::to_string(amd.manifest.bytes.size()) +
                      R"(,"platform":{"os":"linux","architecture":"amd64"}},)"
                      R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + arm.manifest.digest +
                      R"(","size":)" + std::to_string(arm.manifest.bytes.size()) +
                      R"(,"platform":{"os":"linux","architecture":"arm64"}}]})";
  Manifest idx = Manifest::from_bytes(index);
  client.put_manifest(s.with_tag("1.0"), idx);

  Reference d = ref(dst, "mirror", "1.0");
  CopyResult copy = client.copy_image(s.with_tag("1.0"), d);
  CHECK(copy.digest == idx.digest);
  CHECK(copy.stats.blobs_uploaded == 6);
  CHECK(copy.stats.bytes_uploaded == amd.blob_bytes + arm.blob_bytes);
  CHECK(copy.stats.manifests_put == 3);

  Manifest back = client.get_manifest(d);
  CHECK(back.digest == idx.digest);
  CHECK(back.is_index());
  auto amd_entry = pick_platform(back);
  REQUIRE(amd_entry);
  CHECK(client.get_manifest(d.with_digest(amd_entry->digest)).bytes == amd.manifest.bytes);
  CHECK(fetch_blob(client, d, arm.blobs[1].digest) == read_file(arm.blobs[1].path));
  CHECK(client.get_image_manifest(d).digest == amd.manifest.digest);
  CHECK(client.get_image_manifest(d, parse_platform("linux/arm64")).digest == arm.manifest.digest);
  CHECK_THROWS_WITH(client.get_image_manifest(d, parse_platform("linux/s390x")),
                    Catch::Contains("no linux/s390x variant") && Catch::Contains("linux/amd64, linux/arm64"));
  CHECK(client.get_image_manifest(d.with_digest(amd.manifest.digest)).bytes == amd.manifest.bytes);

  // Copying again moves nothing.
  CopyResult again = client.copy_image(s.with_tag("1.0"), d);
  CHECK(again.stats.blobs_skipped == 6);
  CHECK(again.stats.bytes_uploaded == 0);
  CHECK_THAT(log.all(), !Catch::Contains(dst.password()));
}

TEST_CASE("registry: basic auth, a wrong password is a clear error without the password", "[registry]") {
  RegistryServer server(RegistryServer::Mode::basic_auth);
  TempDir dir;
  Log log;
  TestImage img = make_image(dir, 6, 2000);
  {
    RegistryClient client(options_for(server, log));
    push_and_verify(client, ref(server, "auth"), img);
  }
  ClientOptions wrong = options_for(server, log);
  std::string secret = "wrong-" + server.password();
  wrong.credentials[server.host()] = {server.username(), secret};
  RegistryClient bad(wrong);
  try {
    bad.push_blobs(ref(server, "auth2"), img.blobs);
    FAIL("pushed with a wrong password");
  } catch (const hoist::Error& e) {
    std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("401"));
    CHECK_THAT(what, Catch::Contains("authentication"));
    CHECK_THAT(what, !Catch::Contains(secret));
    CHECK_THAT(what, !Catch::Contains(server.password()));
  }
  ClientOptions none = options_for(server, log);
  none.credentials.clear();
  RegistryClient anonymous(none);
  CHECK_THROWS_WITH(anonymous.get_manifest(ref(server, "auth")), Catch::Contains("401"));
  CHECK_THAT(log.all(), !Catch::Contains(server.password()));
}

TEST_CASE("registry: TLS is verified, the CA file makes it work", "[registry]") {
  RegistryServer server(RegistryServer::Mode::tls);
  TempDir dir;
  Log log;
  ClientOptions no_ca = options_for(server, log);
  no_ca.ca_file.clear();
  RegistryClient untrusting(no_ca);
  CHECK_THROWS_WITH(untrusting.blob_exists(ref(server, "x"), sha256_digest("x")),
                    Catch::Contains("TLS certificate") && Catch::Contains("ca_file"));

  RegistryClient client(options_for(server, log));
  TestImage img = make_image(dir, 7, 5000);
  push_and_verify(client, ref(server, "tls"), img);
  CHECK_THAT(log.all(), Catch::Contains("GET https://" + server.host() + "/v2/ -> 200"));

  // Listed as insecure: the certificate is not checked.
  ClientOptions insecure = no_ca;
  insecure.insecure = {server.host()};
  RegistryClient lax(insecure);
  CHECK(lax.blob_exists(ref(server, "tls"), img.blobs[0].digest));
}

TEST_CASE("registry: an unreachable registry is a clear error naming the host", "[registry]") {
  Log log;
  ClientOptions o;
  o.use_docker_config = false;
  o.retry.max_attempts = 2;
  o.retry.initial_delay = std::chrono::milliseconds(10);
  o.debug = log.logger();
  RegistryClient client(o);
  // Port 1 on loopback: nothing listens there.
  CHECK_THROWS_WITH(client.get_manifest(parse_reference("127.0.0.1:1/a/b:c")),
                    Catch::Contains("cannot reach registry 127.0.0.1:1") && Catch::Contains("https") &&
                        Catch::Contains("http"));
}
