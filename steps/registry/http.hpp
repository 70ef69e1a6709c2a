#pragma once
// One HTTP exchange at a time over libcurl, without any registry knowledge: the registry client builds requests,
// decides about auth, redirects and retries. Handles are pooled so connections are reused across requests and
// threads. Every request is logged as "METHOD url -> status"; URLs never carry credentials (userinfo is stripped
// before logging anyway), and headers are never logged.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/util/errors.hpp"
#include "steps/registry/body.hpp"

namespace hoist::registry {

using Logger = std::function<void(std::string_view line)>;

// Why a request got no HTTP response. libcurl's codes mapped once, so curl.h stays in http.cpp.
enum class TransportFailure { connect, tls_verify, tls, timeout, send, receive, aborted, other };

class TransportError : public Error {
 public:
  TransportError(TransportFailure kind, const std::string& message) : Error(message), kind_(kind) {}
  TransportFailure kind() const { return kind_; }

 private:
  TransportFailure kind_;
};

struct TlsOptions {
  std::string ca_file;  // PEM bundle to verify servers with; empty: the system's
  bool verify = true;   // false only for hosts the user listed as insecure
  // Only to learn whether a server speaks TLS at all: nothing is verified and no CA bundle is loaded (parsing the
  // system's bundle is most of a no-op build's CPU time). The response must be discarded, never trusted.
  bool sniff = false;
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
  explicit HttpClient(Logger debug = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Performs the request. Throws TransportError when no response arrived (the message names the method and the
  // URL without userinfo), and rethrows what the request's sink or body reader threw. Thread-safe.
  HttpResponse send(const HttpRequest& request, const TlsOptions& tls);

 private:
  struct Pool;
  std::unique_ptr<Pool> pool_;
  Logger debug_;
};

}  // namespace hoist::registry
