// Credentials and tokens: docker's config.json (`auths`), credential helpers (a real `docker-credential-test`
// script on PATH) against a real registry with basic auth; and the Bearer token flow, token renewal on a later 401,
// and redirects that must not carry Authorization, against a small fake registry that speaks real HTTP (Poco):
// Distribution 2.8's token auth needs a JWT issuer with its own signing certificate, which the fixture does not set up.

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>

#include "runner/process/process.hpp"
#include "runner/process/subprocess.hpp"
#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"
#include "steps/http/base64.hpp"
#include "steps/registry/client.hpp"
#include "steps/registry/credentials.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist::registry;
using hoist::sha256_digest;
using hoist::test::RegistryServer;
using hoist::test::TempDir;

namespace {

void write(const std::filesystem::path& p, const std::string& content, mode_t mode = 0600) {
  std::ofstream(p) << content;
  ::chmod(p.c_str(), mode);
}

std::map<std::string, std::string> env_with(std::map<std::string, std::string> extra) {
  auto env = hoist::current_environment();
  env.erase("DOCKER_CONFIG");
  env.erase("REGISTRY_AUTH_FILE");
  env.erase("XDG_RUNTIME_DIR");
  env.erase("XDG_CONFIG_HOME");
  for (auto& [k, v] : extra) env[k] = v;
  return env;
}

}  // namespace

TEST_CASE("docker config: auths with base64 auth or username/password, key spellings", "[registry]") {
  TempDir dir;
  hoist::PosixProcessRunner runner;
  write(dir / "config.json", R"({"auths":{"https://reg.example.com/v1/":{"auth":")" + hoist::base64_encode("alice:s3cret:x") +
                                 R"("},"other:5000":{"username":"bob","password":"pw"},)"
                                 R"("https://index.docker.io/v1/":{"auth":")" + hoist::base64_encode("hub:token") + R"("}}})");
  auto env = env_with({{"DOCKER_CONFIG", dir.path().string()}});
  auto a = docker_credentials("reg.example.com", env, &runner);
  REQUIRE(a);
  CHECK(a->username == "alice");
  CHECK(a->password == "s3cret:x");
  CHECK(docker_credentials("other:5000", env, &runner)->username == "bob");
  CHECK(docker_credentials("docker.io", env, &runner)->password == "token");
  CHECK_FALSE(docker_credentials("unknown.example.com", env, &runner));

  write(dir / "config.json", "{not json");
  CHECK_THROWS_AS(docker_credentials("x", env, &runner), hoist::InputError);
  // $REGISTRY_AUTH_FILE comes first.
  write(dir / "auth.json", R"({"auths":{"x":{"username":"podman","password":"p"}}})");
  auto env2 = env_with({{"REGISTRY_AUTH_FILE", (dir / "auth.json").string()}, {"HOME", dir.path().string()}});
  CHECK(docker_credentials("x", env2, &runner)->username == "podman");
}

TEST_CASE("podman auth.json: XDG_RUNTIME_DIR, then ~/.config/containers, before docker's config", "[registry]") {
  TempDir dir;
  hoist::PosixProcessRunner runner;
  std::filesystem::create_directories(dir / "run/containers");
  std::filesystem::create_directories(dir / "home/.config/containers");
  std::filesystem::create_directories(dir / "home/.docker");
  write(dir / "run/containers/auth.json", R"({"auths":{"a.example":{"auth":")" + hoist::base64_encode("run:1") + R"("}}})");
  write(dir / "home/.config/containers/auth.json",
        R"({"auths":{"a.example":{"auth":")" + hoist::base64_encode("config:2") + R"("},)"
        R"("b.example":{"auth":")" + hoist::base64_encode("config:3") + R"("}}})");
  write(dir / "home/.docker/config.json",
        R"({"auths":{"b.example":{"auth":")" + hoist::base64_encode("docker:4") + R"("},)"
        R"("c.example":{"auth":")" + hoist::base64_encode("docker:5") + R"("}}})");
  auto env = env_with({{"HOME", (dir / "home").string()}, {"XDG_RUNTIME_DIR", (dir / "run").string()}});
  CHECK(docker_credentials("a.example", env, &runner)->username == "run");
  CHECK(docker_credentials("b.example", env, &runner)->username == "config");
  CHECK(docker_credentials("c.example", env, &runner)->username == "docker");
  env.erase("XDG_RUNTIME_DIR");
  CHECK(docker_credentials("a.example", env, &runner)->password == "2");
}

TEST_CASE("docker config against a real registry: auths, then a credential helper", "[registry]") {
  RegistryServer server(RegistryServer::Mode::basic_auth_tls);
  TempDir dir;
  std::filesystem::create_directories(dir / "bin");
  write(dir / "config.json", R"({"auths":{")" + server.host() + R"(":{"auth":")" +
                                 hoist::base64_encode(server.username() + ":" + server.password()) + R"("}}})");
  hoist::test::add_secret_input(dir / "config.json");  // docker's credentials, for Hoist to read
  hoist::PosixProcessRunner helpers;
  ClientOptions o;
  o.process_runner = &helpers;
  o.ca_file = server.ca_file().string();
  o.env = env_with({{"DOCKER_CONFIG", dir.path().string()}});
  std::string digest;
  {
    RegistryClient client(o);
    StringBody body("from docker config");
    digest = sha256_digest("from docker config");
    CHECK(client.push_blob(parse_reference(server.image("cfg")), body, digest).blobs_uploaded == 1);
  }

  // A helper: prints the credentials for the registry it is asked about, and records what it was asked.
  write(dir / "bin" / "docker-credential-test",
        "#!/bin/sh\n"
        "[ \"$1\" = get ] || exit 3\n"
        "read -r server\n"
        "printf '%s' \"$server\" > '" + (dir / "asked").string() + "'\n"
        "if [ \"$server\" = '" + server.host() + "' ]; then\n"
        "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" + server.username() + "\",\"Secret\":\"" +
            server.password() + "\"}\\n' \"$server\"\n"
        "else echo 'credentials not found in native keychain'; exit 1; fi\n",
        0700);
  hoist::test::add_secret_input(dir / "bin" / "docker-credential-test");  // it holds the password on purpose
  write(dir / "config.json", R"({"auths":{},"credHelpers":{")" + server.host() + R"(":"test"}})");
  auto env = env_with({{"DOCKER_CONFIG", dir.path().string()}});
  env["PATH"] = (dir / "bin").string() + ":" + env["PATH"];
  o.env = env;
  {
    RegistryClient client(o);
    CHECK(client.blob_exists(parse_reference(server.image("cfg")), digest));
  }
  std::ifstream asked(dir / "asked");
  std::string what;
  std::getline(asked, what);
  CHECK(what == server.host());

  // credsStore is used for every registry; the helper says "not found" for other hosts: no credentials, no error.
  write(dir / "config.json", R"({"credsStore":"test"})");
  hoist::PosixProcessRunner runner;
  CHECK(docker_credentials(server.host(), env, &runner)->username == server.username());
  CHECK_FALSE(docker_credentials("elsewhere.example.com", env, &runner));
}

namespace {

// A fake registry with a Bearer token service (both on one Poco server), and a second server standing in for blob
// storage that a registry redirects to.
class FakeTokenRegistry {
 public:
  std::mutex mutex;
  std::vector<std::string> token_queries;  // query strings of token requests
  std::vector<std::string> token_auth;     // Authorization headers of token requests
  std::vector<std::string> storage_auth;   // Authorization headers that reached the storage server
  std::atomic<int> tokens_issued{0};
  std::atomic<bool> expire_once{false};    // answer the next authorized registry request with 401
  std::atomic<bool> lie_about_digest{false};  // send a Docker-Content-Digest that does not match the manifest
  std::string manifest = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]})";
  std::string blob = "blob bytes that live in storage";
  std::string user = "robot", password = "pa55-word";
  std::string refresh_token = "refresh-" + std::to_string(::getpid()) + "-7f3a9c";  // an OAuth2 identity token
  std::vector<std::string> token_forms;  // bodies of POSTed (OAuth2) token requests

  FakeTokenRegistry()
      : registry_socket_(Poco::Net::SocketAddress("127.0.0.1", 0)), storage_socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        registry_(new Factory(this, false), registry_socket_, new Poco::Net::HTTPServerParams),
        storage_(new Factory(this, true), storage_socket_, new Poco::Net::HTTPServerParams) {
    registry_.start();
    storage_.start();
  }
  ~FakeTokenRegistry() {
    registry_.stopAll(true);
    storage_.stopAll(true);
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(registry_socket_.address().port()); }
  std::string storage_host() const { return "127.0.0.1:" + std::to_string(storage_socket_.address().port()); }

 private:
  struct Handler : Poco::Net::HTTPRequestHandler {
    FakeTokenRegistry* f;
    bool storage;
    Handler(FakeTokenRegistry* f, bool storage) : f(f), storage(storage) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
      std::string auth = req.get("Authorization", "");
      std::string uri = req.getURI();
      auto reply = [&](Poco::Net::HTTPResponse::HTTPStatus status, const std::string& body = "") {
        res.setStatus(status);
        res.setContentLength(static_cast<std::streamsize>(body.size()));
        res.send() << body;
      };
      if (storage) {
        {
          std::lock_guard lock(f->mutex);
          f->storage_auth.push_back(req.getMethod() + " " + auth);
        }
        if (req.getMethod() == "GET") return reply(Poco::Net::HTTPResponse::HTTP_OK, f->blob);
        std::string body((std::istreambuf_iterator<char>(req.stream())), std::istreambuf_iterator<char>());
        if (req.getMethod() == "PATCH") {
          res.set("Location", "/storage/upload?state=2");
          return reply(Poco::Net::HTTPResponse::HTTP_ACCEPTED);
        }
        return reply(Poco::Net::HTTPResponse::HTTP_CREATED);  // PUT
      }
      if (uri.rfind("/token", 0) == 0 && req.getMethod() == "POST") {
        std::string form((std::istreambuf_iterator<char>(req.stream())), std::istreambuf_iterator<char>());
        {
          std::lock_guard lock(f->mutex);
          f->token_forms.push_back(form);
        }
        if (form.find("grant_type=refresh_token") == std::string::npos ||
            form.find("refresh_token=" + f->refresh_token) == std::string::npos)
          return reply(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
        int n = ++f->tokens_issued;
        return reply(Poco::Net::HTTPResponse::HTTP_OK, "{\"access_token\":\"tok-" + std::to_string(n) + "\"}");
      }
      if (uri.rfind("/token", 0) == 0) {
        {
          std::lock_guard lock(f->mutex);
          f->token_queries.push_back(uri.substr(uri.find('?') + 1));
          f->token_auth.push_back(auth);
        }
        if (auth != "Basic " + hoist::base64_encode(f->user + ":" + f->password)) return reply(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
        int n = ++f->tokens_issued;
        // Alternate the two spellings registries use.
        std::string key = n % 2 ? "token" : "access_token";
        return reply(Poco::Net::HTTPResponse::HTTP_OK, "{\"" + key + "\":\"tok-" + std::to_string(n) + "\"}");
      }
      bool valid = auth == "Bearer tok-" + std::to_string(f->tokens_issued.load()) && f->tokens_issued > 0;
      if (valid && uri != "/v2/" && f->expire_once.exchange(false)) valid = false;
      if (!valid) {
        res.set("WWW-Authenticate", "Bearer realm=\"http://" + f->host() + "/token\",service=\"fake registry\"");
        return reply(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED, R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})");
      }
      if (uri == "/v2/") return reply(Poco::Net::HTTPResponse::HTTP_OK, "{}");
      if (uri.find("/manifests/") != std::string::npos) {
        res.setContentType("application/vnd.oci.image.manifest.v1+json");
        res.set("Docker-Content-Digest", sha256_digest(f->lie_about_digest ? "other" : f->manifest));
        return reply(Poco::Net::HTTPResponse::HTTP_OK, f->manifest);
      }
      if (uri.find("/blobs/uploads/") != std::string::npos && req.getMethod() == "POST") {
        res.set("Location", "http://" + f->storage_host() + "/storage/upload?state=1");
        return reply(Poco::Net::HTTPResponse::HTTP_ACCEPTED);
      }
      if (uri.find("/blobs/") != std::string::npos && req.getMethod() == "HEAD") return reply(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      if (uri.find("/blobs/") != std::string::npos) {
        res.set("Location", "http://" + f->storage_host() + "/storage/blob?sig=abc");
        return reply(Poco::Net::HTTPResponse::HTTP_TEMPORARY_REDIRECT);
      }
      reply(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
    }
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    FakeTokenRegistry* f;
    bool storage;
    Factory(FakeTokenRegistry* f, bool storage) : f(f), storage(storage) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(f, storage);
    }
  };
  Poco::Net::ServerSocket registry_socket_, storage_socket_;
  Poco::Net::HTTPServer registry_, storage_;
};

}  // namespace

TEST_CASE("bearer tokens: fetched with push+pull scope and basic credentials, renewed on a later 401", "[registry]") {
  FakeTokenRegistry fake;
  std::vector<std::string> log;
  std::mutex log_mutex;
  ClientOptions o;
  o.use_docker_config = false;
  o.credentials[fake.host()] = {fake.user, fake.password};
  o.debug = [&](std::string_view l) {
    std::lock_guard lock(log_mutex);
    log.emplace_back(l);
  };
  RegistryClient client(o);
  Reference r = parse_reference(fake.host() + "/team/app:1");
  Manifest m = client.get_manifest(r);
  CHECK(m.bytes == fake.manifest);
  CHECK(m.digest == sha256_digest(fake.manifest));
  CHECK(fake.tokens_issued == 1);
  REQUIRE(fake.token_queries.size() == 1);
  CHECK(fake.token_queries[0] == "service=fake%20registry&scope=repository%3Ateam%2Fapp%3Apull%2Cpush");
  CHECK(fake.token_auth[0] == "Basic " + hoist::base64_encode(fake.user + ":" + fake.password));

  // The cached token is reused...
  client.get_manifest(r);
  CHECK(fake.tokens_issued == 1);
  // ...until the registry says it expired: one new token, and the request succeeds.
  fake.expire_once = true;
  CHECK(client.get_manifest(r).digest == m.digest);
  CHECK(fake.tokens_issued == 2);

  // A Docker-Content-Digest that does not match the bytes is an error; so is asking by a digest and getting others.
  fake.lie_about_digest = true;
  CHECK_THROWS_WITH(client.get_manifest(r), Catch::Contains("does not match its bytes"));
  fake.lie_about_digest = false;
  CHECK_THROWS_WITH(client.get_manifest(r.with_digest(sha256_digest("other"))), Catch::Contains("received with digest"));

  // A redirect to another host (blob storage) never carries the Authorization header.
  std::string got;
  std::string digest = sha256_digest(fake.blob);
  client.get_blob(r, digest, [&](std::string_view c) { got.append(c); });
  CHECK(got == fake.blob);
  REQUIRE(fake.storage_auth.size() == 1);
  CHECK(fake.storage_auth[0] == "GET ");
  // Nor does an upload whose Location points at another host.
  StringBody body("uploaded elsewhere");
  CHECK(client.push_blob(r, body, sha256_digest("uploaded elsewhere")).blobs_uploaded == 1);
  CHECK(fake.storage_auth == std::vector<std::string>{"GET ", "PATCH ", "PUT "});
  // A blob whose bytes do not match the digest asked for is an error.
  CHECK_THROWS_WITH(client.get_blob(r, sha256_digest("other"), [](std::string_view) {}), Catch::Contains("has digest"));

  for (auto& l : log) {
    CHECK(l.find(fake.password) == std::string::npos);
    CHECK(l.find("tok-") == std::string::npos);
  }
}

TEST_CASE("bearer tokens: refused credentials are a clear error without the password", "[registry]") {
  FakeTokenRegistry fake;
  ClientOptions o;
  o.use_docker_config = false;
  o.credentials[fake.host()] = {fake.user, "not-the-password"};
  RegistryClient client(o);
  try {
    client.get_manifest(parse_reference(fake.host() + "/team/app:1"));
    FAIL("no error");
  } catch (const hoist::Error& e) {
    std::string what = e.what();
    CHECK_THAT(what, Catch::Contains("authentication to registry " + fake.host() + " failed"));
    CHECK_THAT(what, !Catch::Contains("not-the-password"));
  }
  CHECK(fake.token_queries.size() == 2);  // push+pull, then pull alone
}

TEST_CASE("identity tokens: an identitytoken login is exchanged at the realm (OAuth2), never sent as a password",
          "[registry]") {
  FakeTokenRegistry fake;
  hoist::test::add_secret("identity token", fake.refresh_token);
  TempDir dir;
  write(dir / "config.json", R"({"auths":{")" + fake.host() + R"(":{"auth":")" +
                                 hoist::base64_encode("00000000-0000-0000-0000-000000000000:") +
                                 R"(","identitytoken":")" + fake.refresh_token + R"("}}})");
  hoist::test::add_secret_input(dir / "config.json");
  ClientOptions o;
  o.env = env_with({{"DOCKER_CONFIG", dir.path().string()}});
  RegistryClient client(o);
  Manifest m = client.get_manifest(parse_reference(fake.host() + "/shop/app:1"));
  CHECK(m.digest == sha256_digest(fake.manifest));
  std::lock_guard lock(fake.mutex);
  REQUIRE(fake.token_forms.size() == 1);
  CHECK_THAT(fake.token_forms[0], Catch::Contains("grant_type=refresh_token") &&
                                      Catch::Contains("service=fake%20registry") &&
                                      Catch::Contains("scope=repository%3Ashop%2Fapp%3Apull%2Cpush"));
  CHECK(fake.token_queries.empty());  // no GET with Basic credentials
}

TEST_CASE("docker config: a key scoped to a repository prefix wins over the registry's, longest first", "[registry]") {
  TempDir dir;
  hoist::PosixProcessRunner runner;
  write(dir / "config.json", R"({"auths":{"quay.example":{"auth":")" + hoist::base64_encode("registry:1") + R"("},)"
                                 R"("quay.example/org":{"auth":")" + hoist::base64_encode("org:2") + R"("},)"
                                 R"("quay.example/org/app":{"auth":")" + hoist::base64_encode("app:3") + R"("}}})");
  auto env = env_with({{"DOCKER_CONFIG", dir.path().string()}});
  CHECK(docker_credentials("quay.example", env, &runner, "org/app")->username == "app");
  CHECK(docker_credentials("quay.example", env, &runner, "org/app/sub")->username == "app");
  CHECK(docker_credentials("quay.example", env, &runner, "org/application")->username == "org");  // not a path prefix
  CHECK(docker_credentials("quay.example", env, &runner, "org/other")->username == "org");
  CHECK(docker_credentials("quay.example", env, &runner, "else/x")->username == "registry");
  CHECK(docker_credentials("quay.example", env, &runner)->username == "registry");
}

TEST_CASE("docker config against a real registry: the repository-scoped key is the one sent", "[registry]") {
  RegistryServer server(RegistryServer::Mode::basic_auth_tls);
  TempDir dir;
  // The registry-wide entry is wrong; the one scoped to this test's namespace is right.
  write(dir / "config.json", R"({"auths":{")" + server.host() + R"(":{"auth":")" +
                                 hoist::base64_encode(server.username() + ":not-the-password") + R"("},")" +
                                 server.host() + "/" + server.ns() + R"(":{"auth":")" +
                                 hoist::base64_encode(server.username() + ":" + server.password()) + R"("}}})");
  hoist::test::add_secret_input(dir / "config.json");
  ClientOptions o;
  o.ca_file = server.ca_file().string();
  o.env = env_with({{"DOCKER_CONFIG", dir.path().string()}});
  RegistryClient client(o);
  StringBody body("scoped key");
  CHECK(client.push_blob(parse_reference(server.image("scoped")), body, sha256_digest("scoped key")).blobs_uploaded == 1);
  CHECK_THROWS(client.push_blob(parse_reference(server.host() + "/elsewhere/x"), body, sha256_digest("scoped key")));
}
