#pragma once
// One HTTP exchange at a time over libcurl, without any registry knowledge: the registry client builds requests,
// decides about auth, redirects and retries. Handles are pooled so connections are reused across requests and
// threads. Every request is logged as "METHOD url -> status"; URLs never carry credentials (userinfo is stripped
// before logging anyway), and headers are never logged.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/util/errors.hpp"
#include "steps/http/network_env.hpp"
#include "runner/util/network_exit_codes.hpp"
#include "steps/registry/body.hpp"

namespace hoist::registry {

using Logger = std::function<void(std::string_view line)>;

// Why a request got no HTTP response. libcurl's codes mapped once, so curl.h stays in http.cpp.
enum class TransportFailure { resolve, connect, proxy, tls_handshake, tls_verify, tls, timeout, send, receive, aborted, other };

// The cause in words, for messages: "the host name does not resolve (DNS)", never a libcurl code or option.
std::string transport_cause(TransportFailure kind);

// No response came. Exits with kExitUnreachable when it reaches the command line. `retried_out`: retries were
// already spent on it (with_retries does not start over).
class TransportError : public Error {
 public:
  TransportError(TransportFailure kind, const std::string& message, bool retried_out = false)
      : Error(message, kExitUnreachable), kind_(kind), retried_out_(retried_out) {}
  TransportFailure kind() const { return kind_; }
  bool retried_out() const { return retried_out_; }

 private:
  TransportFailure kind_;
  bool retried_out_;
};

struct TlsOptions {
  std::string ca_file;  // PEM bundle to verify servers with; empty: the system's
  bool verify = true;   // false only for hosts the user listed as insecure
  // Only to learn whether a server speaks TLS at all: nothing is verified and no CA bundle is loaded (parsing the
  // system's bundle is most of a no-op build's CPU time). The response must be discarded, never trusted.
  bool sniff = false;
  std::string ca_dir;       // hashed CA directory (SSL_CERT_DIR or a certs.d folder); empty: the system's
  std::string client_cert;  // PEM client certificate for mutual TLS (certs.d client.cert); empty: none
  std::string client_key;   // its PEM private key (certs.d client.key)
};

struct HttpClientOptions {
  Logger debug;
  NetworkEnv network;                      // proxies and SSL_CERT_FILE/SSL_CERT_DIR (network_env.hpp)
  std::chrono::seconds stall_after{60};    // a transfer that moves no byte for this long has failed (retried)
  std::chrono::seconds connect_timeout{30};
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;   // "Name: value"
  const BodySource* body = nullptr;   // sent with Content-Length; none: an empty body for non-GET/HEAD methods
  // When set, the response body is streamed here instead of collected; throwing aborts the transfer and the
  // exception reaches the caller of send().
  std::function<void(std::string_view chunk)> sink;
  std::size_t max_body = 16 * 1024 * 1024;  // collected bodies larger than this are an error
  // When set, called from libcurl's transfer-info callback with the body bytes sent so far and the body's size
  // (often, unthrottled: the caller throttles). Must not throw.
  std::function<void(std::uint64_t sent, std::uint64_t total)> on_upload;
};

struct HttpResponse {
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order received
  std::string body;                                          // empty when streamed to a sink

  // The first header of that name (case-insensitive), or "".
  std::string header(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Performs the request. Throws TransportError when no response arrived (the message names the method, the URL
  // without userinfo and the cause in words; libcurl's own text goes to the debug log only), and rethrows what the request's sink or body
  // reader threw. Thread-safe.
  HttpResponse send(const HttpRequest& request, const TlsOptions& tls);

 private:
  struct Pool;
  std::unique_ptr<Pool> pool_;
  HttpClientOptions options_;
};

}  // namespace hoist::registry
