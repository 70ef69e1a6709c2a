// The Bearer token flow against a real Distribution 2.8 configured for token auth (scripts/start-registry ... token):
// the test runs the token service itself and issues real JWTs (RS256, signed with the key the registry trusts), so
// the challenge, the scopes (a mount needs two), `token` vs `access_token`, and the renewal of an expired token are
// all checked by the registry, not by us.

#include <Poco/Base64Decoder.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "runner/util/errors.hpp"
#include "steps/digest/sha256.hpp"
#include "steps/http/base64.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist::registry;
using hoist::sha256_digest;
using hoist::test::RegistryServer;
using hoist::test::TempDir;

namespace {

std::string base64url(const std::string& s) {
  std::string b = hoist::base64_encode(s);
  for (auto& c : b) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!b.empty() && b.back() == '=') b.pop_back();
  return b;
}

// A token service in the style of docker/distribution's: Basic credentials in, a signed JWT granting what was asked.
class JwtTokenServer {
 public:
  std::string user = "robot", password = "t0ken-pa55";
  std::atomic<int> issued{0};
  std::atomic<bool> issue_expired_once{false};
  std::mutex mutex;
  std::vector<std::vector<std::string>> scopes;  // per token request

  JwtTokenServer()
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
        server_(new Factory(this), socket_, new Poco::Net::HTTPServerParams) {
    hoist::test::add_credential("token server password", user, password);  // for the suite-wide leak check
    server_.start();
  }
  ~JwtTokenServer() { server_.stopAll(true); }
  std::string realm() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/token"; }

  void use_key(const std::filesystem::path& key, const std::filesystem::path& cert) {
    std::lock_guard lock(mutex);
    FILE* kf = std::fopen(key.c_str(), "r");
    REQUIRE(kf);
    key_.reset(PEM_read_PrivateKey(kf, nullptr, nullptr, nullptr));
    std::fclose(kf);
    FILE* cf = std::fopen(cert.c_str(), "r");
    REQUIRE(cf);
    X509* x = PEM_read_X509(cf, nullptr, nullptr, nullptr);
    std::fclose(cf);
    REQUIRE(x);
    unsigned char* der = nullptr;
    int len = i2d_X509(x, &der);
    cert_der_.assign(reinterpret_cast<char*>(der), static_cast<size_t>(len));
    OPENSSL_free(der);
    X509_free(x);
    REQUIRE(key_);
  }

 private:
  std::string sign(const std::string& input) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t len = 0;
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
      throw std::runtime_error("sign init failed");
    std::string sig(len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1)
      throw std::runtime_error("sign failed");
    sig.resize(len);
    return sig;
  }

  std::string token_for(const std::vector<std::string>& requested, bool expired) {
    using nlohmann::json;
    json access = json::array();
    for (const auto& s : requested) {  // "repository:NAME:pull,push"
      auto first = s.find(':'), last = s.rfind(':');
      json actions = json::array();
      std::stringstream list(s.substr(last + 1));
      for (std::string a; std::getline(list, a, ',');) actions.push_back(a);
      access.push_back({{"type", s.substr(0, first)}, {"name", s.substr(first + 1, last - first - 1)}, {"actions", actions}});
    }
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    long exp = expired ? now - 600 : now + 300;
    json header = {{"typ", "JWT"}, {"alg", "RS256"}, {"x5c", json::array({hoist::base64_encode(cert_der_)})}};
    json claims = {{"iss", "hoist-test-issuer"}, {"sub", user},  {"aud", "hoist-test-registry"},
                   {"exp", exp},                 {"nbf", now - 900}, {"iat", now - 900},
                   {"jti", std::to_string(issued.load()) + "-" + std::to_string(std::random_device{}())},
                   {"access", access}};
    std::string input = base64url(header.dump()) + "." + base64url(claims.dump());
    return input + "." + base64url(sign(input));
  }

  struct Handler : Poco::Net::HTTPRequestHandler {
    JwtTokenServer* t;
    explicit Handler(JwtTokenServer* t) : t(t) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
      Poco::Net::HTMLForm form(req);
      std::vector<std::string> requested;
      for (auto it = form.find("scope"); it != form.end() && it->first == "scope"; ++it) requested.push_back(it->second);
      std::string body;
      if (req.get("Authorization", "") != "Basic " + hoist::base64_encode(t->user + ":" + t->password) ||
          form.get("service", "") != "hoist-test-registry") {
        res.setStatus(Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
      } else {
        std::lock_guard lock(t->mutex);
        t->scopes.push_back(requested);
        int n = ++t->issued;
        std::string token = t->token_for(requested, t->issue_expired_once.exchange(false));
        hoist::test::add_secret("bearer token", token);
        body = nlohmann::json{{n % 2 ? "token" : "access_token", token}, {"expires_in", 300}}.dump();
        res.setContentType("application/json");
      }
      res.setContentLength(static_cast<std::streamsize>(body.size()));
      res.send() << body;
    }
  };
  struct Factory : Poco::Net::HTTPRequestHandlerFactory {
    JwtTokenServer* t;
    explicit Factory(JwtTokenServer* t) : t(t) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(t);
    }
  };

  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_{nullptr, &EVP_PKEY_free};
  std::string cert_der_;
  Poco::Net::ServerSocket socket_;
  Poco::Net::HTTPServer server_;
};

BlobFile write_blob(const TempDir& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir.file(name), std::ios::binary) << bytes;
  return BlobFile{dir / name, sha256_digest(bytes), bytes.size(), "application/octet-stream"};
}

}  // namespace

TEST_CASE("bearer tokens against a real registry: push, mount with two scopes, copy, renewal", "[registry]") {
  JwtTokenServer tokens;
  RegistryServer server(RegistryServer::Mode::token, tokens.realm());
  tokens.use_key(server.token_key(), server.token_cert());
  TempDir dir;
  std::vector<std::string> log;
  std::mutex log_mutex;
  ClientOptions o;
  o.use_docker_config = false;
  o.credentials[server.host()] = {tokens.user, tokens.password};
  o.debug = [&](std::string_view l) {
    std::lock_guard lock(log_mutex);
    log.emplace_back(l);
  };
  RegistryClient client(o);

  BlobFile config = write_blob(dir, "config", R"({"architecture":"amd64","os":"linux"})");
  BlobFile layer = write_blob(dir, "layer", std::string(200 * 1024, 'x'));
  Manifest m = Manifest::from_bytes(
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
      config.digest + R"(","size":)" + std::to_string(config.size) +
      R"(},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":")" + layer.digest +
      R"(","size":)" + std::to_string(layer.size) + "}]}");
  Reference a = parse_reference(server.image("a") + ":1");
  TransferStats pushed = client.push_blobs(a, {config, layer});
  CHECK(pushed.blobs_uploaded == 2);
  CHECK(client.put_manifest(a, m) == m.digest);
  CHECK(client.get_manifest(a).bytes == m.bytes);
  int after_push = tokens.issued;
  CHECK(after_push == 1);  // one scope set so far: one token, reused by every request

  // A mount asks for both repositories in one token.
  Reference b = parse_reference(server.image("b") + ":1");
  TransferStats mounted = client.push_blobs(b, {config, layer}, {a.repository});
  CHECK(mounted.blobs_mounted == 2);
  CHECK(mounted.bytes_uploaded == 0);
  {
    std::lock_guard lock(tokens.mutex);
    bool two_scopes = false;
    for (const auto& s : tokens.scopes)
      if (s == std::vector<std::string>{"repository:" + b.repository + ":pull,push", "repository:" + a.repository + ":pull"})
        two_scopes = true;
    CHECK(two_scopes);
  }

  // Copy within the registry: mounts only.
  CopyResult copy = client.copy_image(a, parse_reference(server.image("c") + ":prod"));
  CHECK(copy.digest == m.digest);
  CHECK(copy.stats.bytes_uploaded == 0);

  // An expired token: the registry answers 401, the client fetches one new token, and the request succeeds.
  tokens.issue_expired_once = true;
  int before = tokens.issued;
  Reference d = parse_reference(server.image("d") + ":1");
  CHECK(client.push_blobs(d, {layer}).blobs_uploaded == 1);
  CHECK(tokens.issued == before + 2);
  bool saw_401 = false;
  for (const auto& l : log) {
    if (l.find("/v2/" + d.repository + "/blobs/" + layer.digest + " -> 401") != std::string::npos) saw_401 = true;
    CHECK(l.find(tokens.password) == std::string::npos);
    CHECK(l.find("eyJ") == std::string::npos);  // no JWT in the log
  }
  CHECK(saw_401);
}

TEST_CASE("bearer tokens against a real registry: no credentials, a clear error", "[registry]") {
  JwtTokenServer tokens;
  RegistryServer server(RegistryServer::Mode::token, tokens.realm());
  tokens.use_key(server.token_key(), server.token_cert());
  ClientOptions o;
  o.use_docker_config = false;
  RegistryClient client(o);
  CHECK_THROWS_WITH(client.get_manifest(parse_reference(server.image("a") + ":1")),
                    Catch::Contains("authentication to registry " + server.host() + " failed") &&
                        Catch::Contains("no credentials configured"));
}
