// Retries proved through a fault-injecting proxy in front of a real registry: 429 with Retry-After, 503, and a
// connection cut in the middle of an upload's body. The push still completes, with the right digest.

#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>
#include <random>

#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/fault_proxy.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist::registry;
using hoist::sha256_digest;
using hoist::test::FaultProxy;
using hoist::test::RegistryServer;
using hoist::test::TempDir;

namespace {

struct Fixture {
  RegistryServer server{RegistryServer::Mode::plain};
  FaultProxy proxy{server.host()};
  TempDir dir;
  std::mutex mutex;
  std::vector<std::string> log;

  ClientOptions options() {
    ClientOptions o;
    o.use_docker_config = false;
    o.retry.initial_delay = std::chrono::milliseconds(20);
    o.retry.max_delay = std::chrono::milliseconds(100);
    o.debug = [this](std::string_view line) {
      std::lock_guard lock(mutex);
      log.emplace_back(line);
    };
    return o;
  }
  Reference ref(const std::string& name) { return parse_reference(proxy.host() + "/" + server.repository(name) + ":t"); }
  BlobFile blob(const std::string& name, size_t size, unsigned seed) {
    std::mt19937 rng(seed);
    std::string bytes(size, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    std::ofstream(dir.file(name), std::ios::binary) << bytes;
    return BlobFile{dir / name, sha256_digest(bytes), size, "application/octet-stream"};
  }
  bool logged(const std::string& fragment) {
    std::lock_guard lock(mutex);
    for (auto& l : log)
      if (l.find(fragment) != std::string::npos) return true;
    return false;
  }
};

std::string download(RegistryClient& c, const Reference& r, const std::string& digest) {
  std::string out;
  c.get_blob(r, digest, [&](std::string_view chunk) { out.append(chunk); });
  return out;
}

}  // namespace

TEST_CASE("retries: 429 with Retry-After and 503 are retried", "[registry]") {
  Fixture f;
  f.proxy.add_rule({"HEAD", "/blobs/", 1, 429, "1", false});
  f.proxy.add_rule({"POST", "/blobs/uploads/", 1, 503, "", false});
  f.proxy.add_rule({"PUT", "/manifests/", 1, 502, "", false});
  RegistryClient client(f.options());
  BlobFile b = f.blob("b", 100 * 1024, 1);
  Reference r = f.ref("retry");
  TransferStats s = client.push_blobs(r, {b});
  CHECK(s.blobs_uploaded == 1);
  CHECK(f.proxy.faults_injected() == 2);
  CHECK(f.logged("-> 429"));
  CHECK(f.logged("retrying in 1000 ms"));  // Retry-After: 1, honoured exactly
  CHECK(f.logged("-> 503"));
  CHECK(download(client, r, b.digest).size() == b.size);

  Manifest m = Manifest::from_bytes(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                                    R"("config":{"mediaType":"application/octet-stream","digest":")" + b.digest +
                                    R"(","size":)" + std::to_string(b.size) + R"(},"layers":[]})");
  CHECK(client.put_manifest(r, m) == m.digest);
  CHECK(f.proxy.faults_injected() == 3);
  CHECK(client.get_manifest(r).digest == m.digest);
}

TEST_CASE("retries: an upload cut mid-body starts again from the first byte and completes", "[registry]") {
  Fixture f;
  f.proxy.add_rule({"PATCH", "/blobs/uploads/", 1, 0, "", true});
  RegistryClient client(f.options());
  BlobFile b = f.blob("big", 3 * 1024 * 1024, 2);
  Reference r = f.ref("cut");
  TransferStats s = client.push_blobs(r, {b});
  CHECK(f.proxy.faults_injected() == 1);
  CHECK(s.blobs_uploaded == 1);
  CHECK(s.bytes_uploaded == b.size);
  CHECK(f.logged("retrying"));
  // The registry verified the digest on PUT; read it back and check again here.
  std::string back = download(client, r, b.digest);
  CHECK(back.size() == b.size);
  CHECK(sha256_digest(back) == b.digest);
  // Two upload sessions were started: the cut one and the one that completed.
  int posts = 0;
  for (auto& req : f.proxy.requests())
    if (req.rfind("POST ", 0) == 0) ++posts;
  CHECK(posts == 2);
}

TEST_CASE("retries: a copy whose download is cut restarts and keeps the digest", "[registry]") {
  Fixture f;
  RegistryServer other(RegistryServer::Mode::plain);
  RegistryClient client(f.options());
  BlobFile b = f.blob("layer", 2 * 1024 * 1024, 3);
  Reference src = f.ref("src");
  client.push_blobs(src, {b});
  Manifest m = Manifest::from_bytes(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                                    R"("config":{"mediaType":"application/octet-stream","digest":")" + b.digest +
                                    R"(","size":)" + std::to_string(b.size) + R"(},"layers":[]})");
  client.put_manifest(src, m);
  f.proxy.add_rule({"GET", "/blobs/sha256", 1, 503, "", false});
  f.proxy.add_rule({"GET", "/manifests/", 1, 500, "", false});
  CopyResult c = client.copy_image(src, parse_reference(other.image("dst") + ":t"));
  CHECK(c.digest == m.digest);
  CHECK(c.stats.bytes_uploaded == b.size);
  CHECK(f.proxy.faults_injected() == 2);
}

TEST_CASE("retries: attempts are bounded and the last error is reported", "[registry]") {
  Fixture f;
  for (int i = 0; i < 10; ++i) f.proxy.add_rule({"GET", "/manifests/", 1, 503, "", false});
  ClientOptions o = f.options();
  o.retry.max_attempts = 3;
  RegistryClient client(o);
  CHECK_THROWS_WITH(client.get_manifest(f.ref("none")), Catch::Contains("503") && Catch::Contains("after 3 attempts"));
  CHECK(f.proxy.faults_injected() == 3);
}
