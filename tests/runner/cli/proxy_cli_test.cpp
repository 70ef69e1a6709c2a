// Hoist behind a corporate proxy (Debian's tinyproxy on loopback): an image build + push to a TLS registry goes
// through the proxy's CONNECT tunnel with proxy Basic auth, a manifest bump through a CONNECT tunnel to a TLS git server;
// NO_PROXY sends a host around it; a proxy that wants credentials it did not get is reported as such. The proxy's
// log shows where the traffic went; the suite's leak check sees every output (no proxy password anywhere).

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/registry_server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tinyproxy.hpp"
#include "tests/support/webhook_receiver.hpp"

using namespace hoist;
namespace fs = std::filesystem;

namespace {

struct Workspace {
  test::TempDir dir;
  Workspace() {
    fs::create_directories(dir / "app");
    std::ofstream(dir / "app/server") << std::string(64 * 1024, 'p');
  }
  std::map<std::string, std::string> env(std::map<std::string, std::string> extra) const {
    extra["HOME"] = dir.path().string();
    extra["HOIST_CACHE"] = dir.file("cache");
    return extra;
  }
};

std::vector<std::string> build_and_push(const test::RegistryServer& reg, const std::string& tag) {
  return {"image", "build", "--base", "scratch", "--image", reg.image("app"), "--tag", tag, "--layer", "app:/app",
          "--ca-file", reg.ca_file().string(), "--username", reg.username()};
}

const test::TinyProxy::Auth kProxyAuth{"ci-proxy", "pr0xy-" + std::to_string(::getpid()) + "-secret"};

}  // namespace

TEST_CASE("proxy: an image push to a TLS registry goes through the proxy's CONNECT tunnel, with proxy auth",
          "[proxy][network]") {
  test::RegistryServer reg{test::RegistryServer::Mode::basic_auth_tls};
  test::TinyProxy proxy{&kProxyAuth};
  Workspace ws;
  auto env = ws.env({{"HTTPS_PROXY", proxy.url()}, {"HOIST_REGISTRY_PASSWORD", reg.password()}});
  test::HoistRun r = test::run_hoist(build_and_push(reg, "v1"), env, ws.dir.path().string());
  INFO(r.out << r.err << proxy.log());
  REQUIRE(r.code == 0);
  CHECK(proxy.connections_to(reg.host()) >= 1);
  CHECK_THAT(proxy.log(), Catch::Contains("CONNECT " + reg.host()));

  // Read back through the proxy as well: the digest is there.
  test::HoistRun d = test::run_hoist({"image", "digest", reg.image("app") + ":v1", "--ca-file", reg.ca_file().string(),
                                      "--username", reg.username()},
                                     env, ws.dir.path().string());
  CHECK(d.code == 0);
  CHECK(d.out.rfind("sha256:", 0) == 0);
}

TEST_CASE("proxy: NO_PROXY sends the registry around the proxy", "[proxy][network]") {
  test::RegistryServer reg{test::RegistryServer::Mode::basic_auth_tls};
  test::TinyProxy proxy{&kProxyAuth};
  Workspace ws;
  auto env = ws.env({{"https_proxy", proxy.url()}, {"no_proxy", "localhost,127.0.0.1"},
                     {"HOIST_REGISTRY_PASSWORD", reg.password()}});
  test::HoistRun r = test::run_hoist(build_and_push(reg, "v2"), env, ws.dir.path().string());
  INFO(r.out << r.err << proxy.log());
  REQUIRE(r.code == 0);
  CHECK(proxy.connections_to(reg.host()) == 0);
}

TEST_CASE("proxy: a proxy that wants credentials says so, without retrying forever", "[proxy][network]") {
  test::RegistryServer reg{test::RegistryServer::Mode::tls};
  test::TinyProxy proxy{&kProxyAuth};
  Workspace ws;
  auto env = ws.env({{"HTTPS_PROXY", "http://127.0.0.1:" + std::to_string(proxy.port())}});
  test::HoistRun r = test::run_hoist({"image", "digest", reg.image("app") + ":v1", "--ca-file", reg.ca_file().string()},
                                     env, ws.dir.path().string());
  INFO(r.out << r.err << proxy.log());
  CHECK(r.code == 5);
  CHECK_THAT(r.err, Catch::StartsWith("hoist: error: ") && Catch::Contains("proxy") && Catch::Contains("407"));
}

// A manifest bump to a TLS git server (git http-backend behind lighttpd with mod_openssl) through the proxy's CONNECT
// tunnel: the commit lands, the proxy's log shows the tunnel, and NO_PROXY sends the next bump around it. libgit2
// (1.5) sends only https remotes through a proxy, and the proxy asks for no credentials: tinyproxy closes the
// connection after its 407, which libgit2 1.5 takes for an unexpected EOF instead of asking again with the proxy
// URL's credentials (a limitation of libgit2, see docs/DESIGN.md).
TEST_CASE("proxy: a manifest bump reaches a TLS git server through the proxy's CONNECT tunnel, NO_PROXY bypasses it",
          "[proxy][network][git]") {
  test::GitServer git{test::GitServer::Scheme::https};
  git.create_repo("manifests", {{"qa", {{"api/qa.values.yaml", "image:\n  tag: 1.0.0\n"}}}});
  test::TinyProxy proxy;
  Workspace ws;
  auto bump = [&](const std::string& tag) {
    return std::vector<std::string>{"bump", "--repo", git.url("manifests"), "--branch", "qa", "--file",
                                    "api/qa.values.yaml", "--set", "image.tag=" + tag, "--ca-file", git.ca_file()};
  };
  auto env = ws.env({{"HTTPS_PROXY", proxy.url()}, {"HOIST_GIT_USERNAME", git.username()},
                     {"HOIST_GIT_PASSWORD", git.password()}});
  test::HoistRun r = test::run_hoist(bump("1.1.0"), env, ws.dir.path().string());
  INFO(r.out << r.err << proxy.log());
  REQUIRE(r.code == 0);
  CHECK(git.read_file("manifests", "qa", "api/qa.values.yaml") == "image:\n  tag: 1.1.0\n");
  CHECK_THAT(proxy.log(), Catch::Contains("CONNECT " + git.host()));
  const int through = proxy.connections_to(git.host());
  CHECK(through >= 2);  // the fetch and the push

  env["NO_PROXY"] = "localhost";
  test::HoistRun direct = test::run_hoist(bump("1.2.0"), env, ws.dir.path().string());
  INFO(direct.out << direct.err);
  REQUIRE(direct.code == 0);
  CHECK(git.read_file("manifests", "qa", "api/qa.values.yaml") == "image:\n  tag: 1.2.0\n");
  CHECK(proxy.connections_to(git.host()) == through);

  // A proxy that wants credentials: libgit2 1.5 does not answer tinyproxy's 407 (DESIGN.md's known limit). When it
  // learns to, this fails: update DESIGN.md then.
  test::TinyProxy auth_proxy{&kProxyAuth};
  env.erase("NO_PROXY");
  env["HTTPS_PROXY"] = auth_proxy.url();
  test::HoistRun refused = test::run_hoist(bump("1.3.0"), env, ws.dir.path().string());
  INFO(refused.out << refused.err << auth_proxy.log());
  CHECK(refused.code == 1);
  CHECK_THAT(refused.err, Catch::StartsWith("hoist: error: step 'bump' (manifest/bump) failed: cannot fetch from " +
                                            git.url("manifests") + ": ") && Catch::Contains("EOF"));
  CHECK(git.read_file("manifests", "qa", "api/qa.values.yaml") == "image:\n  tag: 1.2.0\n");
}

TEST_CASE("proxy: the password of a proxy URL is masked in what steps print", "[proxy]") {
  Workspace ws;
  const std::string file = ws.dir.file("p.yaml");
  std::ofstream(file) << "version: 1\nname: p\nsteps:\n  - id: show\n    run: echo \"via $HTTPS_PROXY\"\n";
  const std::string password = "pr0xy-mask-" + std::to_string(::getpid());
  test::HoistRun r = test::run_hoist({"run", file}, ws.env({{"HTTPS_PROXY", "http://ci:" + password + "@proxy.corp:3128"}}),
                                     ws.dir.path().string());
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("via http://ci:********@proxy.corp:3128"));
  CHECK(r.all().find(password) == std::string::npos);
}

TEST_CASE("proxy: a webhook is posted through the proxy, with proxy auth", "[proxy][notify]") {
  test::WebhookReceiver receiver;
  test::TinyProxy proxy{&kProxyAuth};
  Workspace ws;
  const std::string file = ws.dir.file("p.yaml");
  std::ofstream(file) << "version: 1\nname: p\nsteps:\n  - id: announce\n    uses: notify\n    with:\n"
                         "      webhook: ${SLACK_WEBHOOK_URL}\n      text: through the proxy\n";
  const std::string url = receiver.url("/hooks/proxy-test");
  test::HoistRun r = test::run_hoist({"run", file}, ws.env({{"SLACK_WEBHOOK_URL", url}, {"HTTP_PROXY", proxy.url()}}),
                                     ws.dir.path().string());
  INFO(r.out << r.err << proxy.log());
  REQUIRE(r.code == 0);
  CHECK(receiver.requests().size() == 1);
  const std::string host = url.substr(7, url.find('/', 7) - 7);
  CHECK(proxy.connections_to(host) == 1);
}
