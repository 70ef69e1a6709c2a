// Image references parsed the way Docker parses them, and the small pure helpers of the registry client
// (WWW-Authenticate, Retry-After, URL resolution, loopback detection, manifests).

#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"
#include "runner/util/url_userinfo.hpp"
#include "steps/registry/challenge.hpp"
#include "steps/registry/manifest.hpp"
#include "steps/registry/reference.hpp"
#include "steps/registry/retry.hpp"
#include "steps/registry/session.hpp"

using namespace hoist::registry;
using hoist::sha256_digest;

namespace {
const std::string kDigest = "sha256:" + std::string(64, 'a');
}

TEST_CASE("references: Docker Hub defaults", "[registry]") {
  auto r = parse_reference("nginx");
  CHECK(r.registry == "docker.io");
  CHECK(r.repository == "library/nginx");
  CHECK(r.tag == "latest");
  CHECK(r.digest.empty());
  CHECK(r.api_host() == "registry-1.docker.io");
  CHECK(r.str() == "docker.io/library/nginx:latest");

  CHECK(parse_reference("user/app:1.0").str() == "docker.io/user/app:1.0");
  CHECK(parse_reference("docker.io/nginx").str() == "docker.io/library/nginx:latest");
  CHECK(parse_reference("index.docker.io/library/nginx:1").str() == "docker.io/library/nginx:1");
  CHECK(parse_reference("a/b/c").repository == "a/b/c");
  CHECK(parse_reference("a/b/c").registry == "docker.io");
}

TEST_CASE("references: registries with ports, localhost and IPv6", "[registry]") {
  auto r = parse_reference("host:5000/a/b:t");
  CHECK(r.registry == "host:5000");
  CHECK(r.repository == "a/b");
  CHECK(r.tag == "t");
  CHECK(r.api_host() == "host:5000");

  CHECK(parse_reference("localhost/app").registry == "localhost");
  CHECK(parse_reference("localhost:5000/app:v1").str() == "localhost:5000/app:v1");
  CHECK(parse_reference("example.com/app").registry == "example.com");
  CHECK(parse_reference("127.0.0.1:5000/ns/app").registry == "127.0.0.1:5000");
  auto v6 = parse_reference("[::1]:5000/app:2");
  CHECK(v6.registry == "[::1]:5000");
  CHECK(v6.repository == "app");
  CHECK(v6.tag == "2");
  // Without '.', ':' or "localhost" the first component is a path on Docker Hub.
  CHECK(parse_reference("myhost/app").str() == "docker.io/myhost/app:latest");
  // A lone "name:port" is a repository with a tag, as Docker reads it.
  CHECK(parse_reference("localhost:5000").str() == "docker.io/library/localhost:5000");
}

TEST_CASE("references: digests", "[registry]") {
  auto r = parse_reference("repo@" + kDigest);
  CHECK(r.repository == "library/repo");
  CHECK(r.tag.empty());
  CHECK(r.digest == kDigest);
  CHECK(r.identifier() == kDigest);
  CHECK(r.str() == "docker.io/library/repo@" + kDigest);

  auto both = parse_reference("host:5000/repo:tag@" + kDigest);
  CHECK(both.tag == "tag");
  CHECK(both.digest == kDigest);
  CHECK(both.identifier() == kDigest);
  CHECK(both.with_tag("x").str() == "host:5000/repo:x");
  CHECK(both.with_digest(kDigest).str() == "host:5000/repo@" + kDigest);
}

TEST_CASE("references: invalid ones are input errors naming the value", "[registry]") {
  for (std::string bad : std::vector<std::string>{"", "host:5000/App", "app:", "app:-bad", "app@sha256:abc", "app@md5",
                          "a//b", "-app", "app-", "host:5000/", "/app", "app:" + std::string(129, 't'),
                          "a@sha256:" + std::string(64, 'A'), "exa_mple.com:x/app"}) {
    INFO(bad);
    try {
      parse_reference(bad);
      FAIL("accepted '" << bad << "'");
    } catch (const hoist::InputError& e) {
      CHECK(std::string(e.what()).find("'" + bad + "'") != std::string::npos);
    }
  }
  CHECK_THROWS_WITH(parse_reference("foo/Bar"), Catch::Contains("lowercase"));
  // As in Docker, an upper-case first component is a registry host, not a repository.
  CHECK(parse_reference("UPPER/app").registry == "UPPER");
  CHECK_THROWS_AS(parse_reference(std::string(300, 'a')), hoist::InputError);
}

TEST_CASE("references: huge names, tags and digests are refused before any pattern is matched", "[registry]") {
  // std::regex matches recursively; 200 KB would overflow the stack (see fuzz/regressions/image_reference/huge_*).
  const std::string huge(200000, 'a');
  CHECK_THROWS_WITH(parse_reference(huge), Catch::Contains("name longer than 255 characters"));
  CHECK_THROWS_WITH(parse_reference("host:5000/" + huge), Catch::Contains("name longer than 255 characters"));
  CHECK_THROWS_WITH(parse_reference("app:" + huge), Catch::Contains("tag longer than 128 characters"));
  CHECK_THROWS_WITH(parse_reference("app@sha512:" + huge), Catch::Contains("bad digest"));
  CHECK_FALSE(is_valid_digest("sha512:" + huge));
  CHECK(is_valid_digest("sha512:" + std::string(128, 'f')));
  // Docker's limit is on the name as written, and the canonical form must parse again, so both count.
  CHECK(parse_reference("host:5000/" + std::string(245, 'a')).repository.size() == 245);
  CHECK_THROWS(parse_reference("host:5000/" + std::string(246, 'a')));
  CHECK_THROWS(parse_reference(std::string(250, 'a')));  // docker.io/library/ + 250
}

TEST_CASE("WWW-Authenticate: Bearer with commas in quotes, Basic, several challenges", "[registry]") {
  auto c = parse_www_authenticate(
      R"(Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push")");
  REQUIRE(c.size() == 1);
  CHECK(c[0].scheme == "bearer");
  CHECK(c[0].params["realm"] == "https://auth.example.com/token");
  CHECK(c[0].params["service"] == "registry.example.com");
  CHECK(c[0].params["scope"] == "repository:a/b:pull,push");

  auto two = parse_www_authenticate(R"(Basic realm="x y", Bearer realm="https://t/token",service=svc)");
  REQUIRE(two.size() == 2);
  CHECK(two[0].scheme == "basic");
  CHECK(two[0].params["realm"] == "x y");
  CHECK(two[1].params["service"] == "svc");
  CHECK(parse_www_authenticate("").empty());
}

TEST_CASE("Retry-After: seconds, HTTP dates and rubbish", "[registry]") {
  auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  CHECK(parse_retry_after("3", now) == std::chrono::milliseconds(3000));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now) == std::chrono::milliseconds(10000));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now) == std::chrono::milliseconds(0));
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("", now));
  RetryPolicy p;
  p.max_retry_after = std::chrono::milliseconds(5000);
  CHECK(retry_delay(p, 1, std::chrono::milliseconds(60000)) == std::chrono::milliseconds(5000));
  for (int attempt = 1; attempt < 8; ++attempt) {
    auto d = retry_delay(p, attempt, std::nullopt);
    CHECK(d <= p.max_delay);
    CHECK(d >= std::min(p.initial_delay, p.max_delay) / 2);
  }
  CHECK(is_retryable_status(429));
  CHECK(is_retryable_status(503));
  CHECK_FALSE(is_retryable_status(404));
  CHECK_FALSE(is_retryable_status(401));
}

TEST_CASE("upload locations resolve against the request URL, keeping the query", "[registry]") {
  std::string base = "http://127.0.0.1:5000/v2/a/blobs/uploads/";
  CHECK(resolve_url(base, "/v2/a/blobs/uploads/u1?_state=xyz") == "http://127.0.0.1:5000/v2/a/blobs/uploads/u1?_state=xyz");
  CHECK(resolve_url(base, "https://other:1/x?y=1") == "https://other:1/x?y=1");
  CHECK(resolve_url(base + "?mount=x", "u2") == "http://127.0.0.1:5000/v2/a/blobs/uploads/u2");
  CHECK(resolve_url(base, "//cdn.example.com/p") == "http://cdn.example.com/p");
  CHECK(hoist::url_authority("https://user@h:5/x?y") == "h:5");
  CHECK(hoist::url_authority("http://[::1]:5000/v2/") == "[::1]:5000");
}

TEST_CASE("loopback hosts", "[registry]") {
  CHECK(is_loopback_host("localhost"));
  CHECK(is_loopback_host("localhost:5000"));
  CHECK(is_loopback_host("127.0.0.1:5000"));
  CHECK(is_loopback_host("127.1.2.3"));
  CHECK(is_loopback_host("[::1]:5000"));
  CHECK_FALSE(is_loopback_host("127.0.0.1.example.com"));
  CHECK_FALSE(is_loopback_host("128.0.0.1"));
  CHECK_FALSE(is_loopback_host("example.com:5000"));
  CHECK_FALSE(is_loopback_host("localhost.evil.com"));
  CHECK(plain_http_allowed("127.0.0.1:5000", {}));
  CHECK_FALSE(plain_http_allowed("registry.example.com", {}));
  CHECK_FALSE(plain_http_allowed("registry.example.com", {"registry.example.com:5000"}));
  CHECK(plain_http_allowed("registry.example.com:5000", {"registry.example.com:5000"}));
}

TEST_CASE("manifests: digest of the exact bytes, media type, platforms", "[registry]") {
  CHECK(sha256_digest("") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string index = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)"
                      R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + kDigest +
                      R"(","size":10,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},)"
                      R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:)" +
                      std::string(64, 'b') + R"(","size":11,"platform":{"os":"linux","architecture":"amd64"}}]})";
  Manifest m = Manifest::from_bytes(index);
  CHECK(m.is_index());
  CHECK(m.digest == sha256_digest(index));
  CHECK(m.children().size() == 2);
  CHECK(pick_platform(m)->digest == "sha256:" + std::string(64, 'b'));
  CHECK(pick_platform(m, {"linux", "arm64", ""})->digest == kDigest);
  CHECK(pick_platform(m, {"linux", "arm64", "v8"})->size == 10);
  CHECK_FALSE(pick_platform(m, {"linux", "arm64", "v7"}));
  CHECK_FALSE(pick_platform(m, {"windows", "amd64", ""}));
  CHECK_THROWS_AS(m.blobs(), hoist::Error);

  Manifest docker = Manifest::from_bytes(R"({"schemaVersion":2,"config":{"digest":")" + kDigest +
                                             R"(","size":2},"layers":[]})",
                                         media_type::docker_manifest);
  CHECK(docker.media_type == media_type::docker_manifest);
  CHECK(docker.blobs().size() == 1);
}

TEST_CASE("platforms: OS/ARCH[/VARIANT]", "[registry]") {
  auto p = parse_platform("linux/arm64/v8");
  CHECK(p.os == "linux");
  CHECK(p.architecture == "arm64");
  CHECK(p.variant == "v8");
  CHECK(to_string(parse_platform("linux/amd64")) == "linux/amd64");
  for (std::string bad : {"linux", "linux/", "/amd64", "a/b/c/d", ""})
    CHECK_THROWS_WITH(parse_platform(bad), Catch::Contains("'" + bad + "'"));
}
