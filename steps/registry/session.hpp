#pragma once
// Talking to registries as an authenticated party: which scheme a host speaks, which credentials it gets, how a
// Bearer token is obtained and renewed, and where a redirect may take the Authorization header (nowhere but the
// registry's own host). The registry client (client.hpp) builds the API requests on top.
//
// Scheme: https always, TLS verified (with ClientOptions::ca_file when given). Hosts where plain http is allowed —
// loopback (localhost, 127.0.0.0/8, [::1]) and hosts listed in `insecure` — are probed with https first; only when
// that fails for a reason other than an untrusted certificate does the session fall back to http. A loopback
// registry with a certificate we cannot verify is an error, not a silent downgrade. Hosts listed in `insecure` also
// skip certificate verification (as Docker's insecure-registries do).
//
// Auth: GET /v2/ once per host (the ping). 200: anonymous. 401 with `Basic`: credentials go in every request.
// 401 with `Bearer realm,service`: a token for the request's scopes is fetched from the realm (with Basic
// credentials when we have any; "pull,push" first, "pull" when the token server refuses push), cached per scope set,
// and fetched again once when a request answers 401 (tokens expire: GitLab's last five minutes).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runner/process/process.hpp"
#include "runner/report/blob_progress.hpp"
#include "steps/registry/credentials.hpp"
#include "steps/registry/http.hpp"
#include "steps/registry/retry.hpp"

namespace hoist::registry {

struct ClientOptions {
  // Credentials by registry (as a Reference names it: "docker.io", "127.0.0.1:5000"); registries not listed here
  // use docker's config files (credentials.hpp) unless use_docker_config is false.
  std::map<std::string, Credentials> credentials;
  bool use_docker_config = true;
  std::optional<std::map<std::string, std::string>> env;  // for docker config lookup; default: this process's
  ProcessRunner* process_runner = nullptr;  // runs credential helpers (handed in by the caller); none: no helpers
  std::string ca_file;                      // PEM CA bundle for TLS verification (over SSL_CERT_FILE)
  // Per-registry certificates as Podman and Docker keep them: ROOT/HOST[:PORT]/ca.crt (trusted for that host),
  // client.cert + client.key (mutual TLS). Default: /etc/containers/certs.d then /etc/docker/certs.d; the
  // environment's HOIST_CERTS_D (a list separated by ':') replaces both.
  std::vector<std::string> certs_d;
  std::chrono::seconds stall_after{60};  // a transfer that moves no byte for this long fails and is retried
  std::vector<std::string> insecure;                       // "host[:port]": plain http allowed, TLS not verified
  RetryPolicy retry;
  int parallelism = 4;  // blobs moved at once
  Logger debug;         // "METHOD url -> status" per request, retries; never credentials
  BlobProgressSink progress;  // each blob pushed: upload ticks (≤10/s per blob) and how it ended (blob_meter.hpp)
};

class Session {
 public:
  explicit Session(ClientOptions options);
  ~Session();

  const ClientOptions& options() const { return options_; }
  // "https://host" or "http://host" (after probing the host once). Throws hoist::Error when the host cannot be
  // reached at all, naming the host and the reason.
  std::string base_url(const std::string& host);
  // Sends `request` to `host` with the Authorization for `scopes` ("repository:NAME:pull,push"), renewing it once on
  // a 401, and following redirects of GET/HEAD (Authorization only to `host`). Returns the final response whatever
  // its status; TransportError when none came.
  HttpResponse send(const std::string& host, const std::vector<std::string>& scopes, HttpRequest request);

 private:
  struct Host;
  Host& host(const std::string& name);
  void probe(Host& h);
  std::string authorization(Host& h, const std::vector<std::string>& scopes, bool renew);
  std::string fetch_token(Host& h, const std::vector<std::string>& scopes);
  std::string token_from(Host& h, const HttpResponse& r);
  std::string exchange_refresh_token(Host& h, const Credentials& creds, const std::vector<std::string>& scopes);
  const std::optional<Credentials>& credentials_for(Host& h, const std::vector<std::string>& scopes);
  TlsOptions tls_for(const Host& h) const;

  ClientOptions options_;
  HttpClient http_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Host>> hosts_;
};

// `location` (absolute, absolute-path or relative) resolved against `base_url`, as RFC 3986 does.
std::string resolve_url(const std::string& base_url, const std::string& location);
// True for localhost, 127.0.0.0/8 and [::1], with or without a port.
bool is_loopback_host(const std::string& host);
// Whether `host` may be spoken to over plain http: loopback, or listed in `insecure`.
bool plain_http_allowed(const std::string& host, const std::vector<std::string>& insecure);

}  // namespace hoist::registry
