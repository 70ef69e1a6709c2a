// The CAs and client certificates a registry is reached with, as CI machines set them up: SSL_CERT_FILE instead of
// the system's bundle, and Podman/Docker's certs.d folders (ca.crt for the registry, client.cert + client.key for
// Distribution configured to require client certificates). Against real registries on loopback.

#include <catch2/catch.hpp>

#include <filesystem>

#include "runner/util/network_exit_codes.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/scripted_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist::registry;
namespace fs = std::filesystem;
using hoist::test::ScriptedServer;
using hoist::test::TempDir;

namespace {

ClientOptions options_with_env(std::map<std::string, std::string> env) {
  ClientOptions o;
  o.use_docker_config = false;
  o.retry.max_attempts = 2;
  o.retry.initial_delay = std::chrono::milliseconds(10);
  o.env = std::move(env);
  return o;
}

// The registry answered (so TLS worked both ways): a missing manifest is "not found", not a transport failure.
void check_answered(RegistryClient& client, const std::string& image) {
  try {
    client.get_manifest(parse_reference(image + ":absent"));
    FAIL("the manifest exists?");
  } catch (const TransportError& e) {
    FAIL("no answer: " << e.what());
  } catch (const hoist::Error& e) {
    CHECK(e.code() == hoist::kExitNotFound);
  }
}

}  // namespace

TEST_CASE("tls env: SSL_CERT_FILE is the CA bundle registries are verified with", "[registry][tls]") {
  hoist::test::RegistryServer reg{hoist::test::RegistryServer::Mode::tls};
  RegistryClient trusting(options_with_env({{"SSL_CERT_FILE", reg.ca_file().string()}}));
  check_answered(trusting, reg.image("app"));

  RegistryClient system_only(options_with_env({}));
  CHECK_THROWS_WITH(system_only.get_manifest(parse_reference(reg.image("app") + ":absent")),
                    Catch::Contains("cannot verify the TLS certificate of " + reg.host()));
}

TEST_CASE("tls env: certs.d gives the registry's CA and the client certificate it requires", "[registry][tls]") {
  ScriptedServer reg("start-registry", "registry", {"mtls"});
  const std::string host = reg.value("HOIST_TEST_REGISTRY");
  const std::string image = host + "/t" + hoist::test::random_hex(4) + "/app";
  TempDir certs_d;
  const fs::path folder = certs_d / host;
  fs::create_directories(folder);
  fs::copy_file(reg.value("HOIST_TEST_REGISTRY_CA_FILE"), folder / "ca.crt");

  SECTION("without a client certificate the registry cannot be reached over https, and says so") {
    RegistryClient client(options_with_env({{"HOIST_CERTS_D", certs_d.path().string()}}));
    // The server ends the TLS session when the client shows no certificate (TLS 1.3 tells it after the handshake,
    // so libcurl sees a reset); its plain-http answer ("an HTTP request to an HTTPS server") is not taken instead.
    CHECK_THROWS_AS(client.get_manifest(parse_reference(image + ":absent")), TransportError);
    CHECK_THROWS_WITH(client.get_manifest(parse_reference(image + ":absent")),
                      Catch::Contains("cannot reach registry " + host + " over https: GET https://" + host + "/v2/"));
  }
  SECTION("with client.cert and client.key the registry answers") {
    fs::copy_file(reg.value("HOIST_TEST_REGISTRY_CLIENT_CERT"), folder / "client.cert");
    fs::copy_file(reg.value("HOIST_TEST_REGISTRY_CLIENT_KEY"), folder / "client.key");
    hoist::test::add_secret_input(folder / "client.key");
    RegistryClient client(options_with_env({{"HOIST_CERTS_D", "/nonexistent:" + certs_d.path().string()}}));
    check_answered(client, image);
  }
  SECTION("a client certificate without its key is bad input, naming the folder") {
    fs::copy_file(reg.value("HOIST_TEST_REGISTRY_CLIENT_CERT"), folder / "client.cert");
    RegistryClient client(options_with_env({{"HOIST_CERTS_D", certs_d.path().string()}}));
    CHECK_THROWS_WITH(client.get_manifest(parse_reference(image + ":absent")),
                      Catch::Contains(folder.string() + ": client.cert has no client.key"));
  }
}
