// Which proxy a URL goes through, from the environment as CI runners set it: the scheme's variable in either case,
// ALL_PROXY as the fallback, NO_PROXY exempting hosts by name, domain suffix, port or "*".

#include <catch2/catch.hpp>

#include "steps/http/network_env.hpp"

using hoist::NetworkEnv;
using hoist::no_proxy_matches;
using hoist::proxy_display;

TEST_CASE("network env: each scheme takes its own proxy variable, in either case", "[http][proxy]") {
  NetworkEnv upper = NetworkEnv::from({{"HTTPS_PROXY", "http://tls-proxy:3128"}, {"HTTP_PROXY", "http://plain:8080"}});
  CHECK(upper.proxy_for("https://registry.example.com/v2/") == "http://tls-proxy:3128");
  CHECK(upper.proxy_for("http://git.example.com/x.git") == "http://plain:8080");
  NetworkEnv lower = NetworkEnv::from({{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:2"}});
  CHECK(lower.proxy_for("https://a.example/") == "http://lower:1");  // as curl: the lower-case one first
  CHECK(lower.proxy_for("http://a.example/") == "");                  // no HTTP_PROXY: direct
  NetworkEnv all = NetworkEnv::from({{"ALL_PROXY", "http://all:3"}});
  CHECK(all.proxy_for("http://a.example/") == "http://all:3");
  CHECK(all.proxy_for("https://a.example/") == "http://all:3");
  CHECK(NetworkEnv::from({}).proxy_for("https://a.example/") == "");
}

TEST_CASE("network env: NO_PROXY exempts hosts by name, domain, port and star", "[http][proxy]") {
  NetworkEnv net = NetworkEnv::from({{"HTTPS_PROXY", "http://p:3128"},
                                     {"no_proxy", "internal.example, .corp.example,10.0.0.7 registry.local:5000"}});
  CHECK(net.proxy_for("https://internal.example/v2/") == "");
  CHECK(net.proxy_for("https://git.internal.example/x") == "");  // subdomain
  CHECK(net.proxy_for("https://notinternal.example/") == "http://p:3128");  // not a suffix match on a label
  CHECK(net.proxy_for("https://a.b.corp.example:8443/") == "");
  CHECK(net.proxy_for("https://10.0.0.7:5000/v2/") == "");
  CHECK(net.proxy_for("https://10.0.0.70/") == "http://p:3128");
  CHECK(net.proxy_for("https://registry.local:5000/v2/") == "");
  CHECK(net.proxy_for("https://registry.local:5001/v2/") == "http://p:3128");  // the port must match
  CHECK(net.proxy_for("https://user:pw@INTERNAL.example/") == "");  // userinfo ignored, case-insensitive
  CHECK(no_proxy_matches("*", "anything.example"));
  CHECK(no_proxy_matches("registry.local:443", "registry.local:443"));
  CHECK(NetworkEnv::from({{"HTTPS_PROXY", "http://p:1"}, {"NO_PROXY", "registry.local:443"}})
            .proxy_for("https://registry.local/v2/") == "");  // the scheme's default port counts
  CHECK(no_proxy_matches("::1", "[::1]:5000"));
  CHECK_FALSE(no_proxy_matches("", "a.example"));
}

TEST_CASE("network env: CA locations and a proxy shown without its credentials", "[http][proxy]") {
  NetworkEnv net = NetworkEnv::from({{"SSL_CERT_FILE", "/ca/bundle.pem"}, {"SSL_CERT_DIR", "/ca/dir"}});
  CHECK(net.ssl_cert_file == "/ca/bundle.pem");
  CHECK(net.ssl_cert_dir == "/ca/dir");
  CHECK(proxy_display("http://ci:s3cret@proxy.corp:3128") == "http://proxy.corp:3128");
  CHECK(proxy_display("proxy.corp:3128") == "http://proxy.corp:3128");
}
