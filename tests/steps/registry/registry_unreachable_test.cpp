// Registries that cannot be reached, as real networks fail: a name that does not resolve, a port nobody listens on,
// a server that accepts and then stalls. Each is retried with backoff, then reported as host + operation + cause in
// words (never a libcurl option number or libcurl's wording), as a TransportError (exit code "unreachable").

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>

#include "runner/util/errors.hpp"
#include "steps/registry/client.hpp"
#include "tests/support/fault_proxy.hpp"
#include "tests/support/registry_server.hpp"

using namespace hoist::registry;
using hoist::test::FaultProxy;
using hoist::test::RegistryServer;

namespace {

struct Log {
  std::mutex mutex;
  std::vector<std::string> lines;
  hoist::registry::Logger logger() {
    return [this](std::string_view l) {
      std::lock_guard lock(mutex);
      lines.emplace_back(l);
    };
  }
  int count(const std::string& fragment) {
    std::lock_guard lock(mutex);
    int n = 0;
    for (auto& l : lines) n += l.find(fragment) != std::string::npos;
    return n;
  }
};

ClientOptions quick_retries(Log& log) {
  ClientOptions o;
  o.use_docker_config = false;
  o.retry.max_attempts = 3;
  o.retry.initial_delay = std::chrono::milliseconds(20);
  o.retry.max_delay = std::chrono::milliseconds(50);
  o.debug = log.logger();
  return o;
}

// A loopback port that was free a moment ago: nobody listens there.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The failure of `f` as a TransportError's message; fails the test when it throws something else or nothing.
template <typename F>
std::string transport_failure(F&& f) {
  try {
    f();
  } catch (const TransportError& e) {
    CHECK(e.code() == hoist::kExitUnreachable);
    return e.what();
  } catch (const std::exception& e) {
    FAIL("not a TransportError: " << e.what());
  }
  FAIL("no error");
  return "";
}

void check_no_libcurl_wording(const std::string& message) {
  CHECK(message.find("option") == std::string::npos);
  CHECK(message.find("libcurl") == std::string::npos);
  CHECK(message.find("Could not") == std::string::npos);  // libcurl's own phrases
  CHECK(message.find("Couldn't") == std::string::npos);
}

}  // namespace

TEST_CASE("unreachable: a name that does not resolve is retried, then named with its cause", "[registry][network]") {
  Log log;
  RegistryClient client(quick_retries(log));
  std::string message = transport_failure([&] { client.get_manifest(parse_reference("registry.invalid/shop/app:1")); });
  CHECK_THAT(message, Catch::Contains("registry.invalid") && Catch::Contains("GET https://registry.invalid/v2/") &&
                          Catch::Contains("does not resolve") && Catch::Contains("after 3 attempts"));
  check_no_libcurl_wording(message);
  CHECK(log.count("retrying in ") == 2);  // the handle reused after a failure no longer refuses an option
}

TEST_CASE("unreachable: a refused port is retried, then named with its cause", "[registry][network]") {
  Log log;
  RegistryClient client(quick_retries(log));
  const std::string host = "127.0.0.1:" + std::to_string(closed_port());
  std::string message = transport_failure([&] { client.get_manifest(parse_reference(host + "/shop/app:1")); });
  CHECK_THAT(message, Catch::Contains("cannot reach registry " + host) && Catch::Contains("refused") &&
                          Catch::Contains("after 3 attempts"));
  check_no_libcurl_wording(message);
  CHECK(log.count("retrying in ") >= 2);
}

TEST_CASE("unreachable: a server that accepts and then stalls is given up on and retried", "[registry][network]") {
  RegistryServer server{RegistryServer::Mode::plain};
  FaultProxy proxy{server.host()};
  Log log;
  ClientOptions o = quick_retries(log);
  o.stall_after = std::chrono::seconds(1);
  const Reference ref = parse_reference(proxy.host() + "/" + server.repository("stall") + ":t");
  // Every manifest request stalls: the read is given up after a second each time, three times, then reported.
  for (int i = 0; i < 3; ++i) proxy.add_rule({"GET", "/manifests/", 1, 0, "", false, true});
  RegistryClient client(o);
  auto started = std::chrono::steady_clock::now();
  std::string message = transport_failure([&] { client.get_manifest(ref); });
  auto took = std::chrono::steady_clock::now() - started;
  proxy.release();
  CHECK_THAT(message, Catch::Contains("GET http://" + proxy.host() + "/v2/") && Catch::Contains("stalled") &&
                          Catch::Contains("after 3 attempts"));
  check_no_libcurl_wording(message);
  CHECK(took >= std::chrono::seconds(3));
  CHECK(took < std::chrono::seconds(20));  // not the 30 s the proxy would hold each request
  CHECK(log.count("retrying in ") == 2);
}
