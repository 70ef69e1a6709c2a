// See session.hpp.

#include "steps/registry/session.hpp"


#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runner/util/url_userinfo.hpp"
#include "steps/registry/certs_d.hpp"
#include "steps/http/base64.hpp"
#include "steps/registry/challenge.hpp"

namespace hoist::registry {
namespace {

std::string url_escape(const std::string& s) {
  std::string out;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

struct Session::Host {
  std::string name;
  HostCerts certs;  // from certs.d, found once
  std::mutex mutex;  // guards everything below
  bool probed = false;
  std::string scheme;
  bool verify_tls = true;
  std::optional<Challenge> challenge;   // nullopt: anonymous access works
  std::optional<Credentials> credentials;  // the step's, else docker config's for the whole registry
  bool explicit_credentials = false;
  std::map<std::string, std::optional<Credentials>> by_repository;  // docker config's, for scoped keys
  std::map<std::string, std::string> tokens;  // by joined scopes
};

std::string resolve_url(const std::string& base, const std::string& location) {
  if (location.find("://") != std::string::npos) return location;
  const size_t scheme_end = base.find("://");
  const size_t authority_end = std::min(base.find_first_of("/?#", scheme_end + 3), base.size());
  const std::string origin = base.substr(0, authority_end);
  const std::string path = base.substr(authority_end, base.find_first_of("?#", authority_end) - authority_end);
  if (location.rfind("//", 0) == 0) return base.substr(0, scheme_end + 1) + location;  // network-path reference
  if (!location.empty() && location[0] == '/') return origin + location;
  if (!location.empty() && location[0] == '?') return origin + path + location;
  return origin + path.substr(0, path.rfind('/') + 1) + (path.empty() ? "/" : "") + location;
}

bool is_loopback_host(const std::string& host) {
  std::string h = host;
  if (!h.empty() && h[0] == '[') {
    h = h.substr(1, h.find(']') - 1);
  } else if (auto c = h.rfind(':'); c != std::string::npos && h.find(':') == c) {
    h.resize(c);
  }
  if (h == "localhost" || h == "::1") return true;
  if (h.rfind("127.", 0) == 0) {
    int parts = 0;
    for (size_t i = 0; i <= h.size();) {
      size_t dot = h.find('.', i);
      std::string part = h.substr(i, dot == std::string::npos ? std::string::npos : dot - i);
      if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), ::isdigit) || std::stoi(part) > 255)
        return false;
      ++parts;
      if (dot == std::string::npos) break;
      i = dot + 1;
    }
    return parts == 4;
  }
  return false;
}

bool plain_http_allowed(const std::string& host, const std::vector<std::string>& insecure) {
  return is_loopback_host(host) || std::find(insecure.begin(), insecure.end(), host) != insecure.end();
}

namespace {

ClientOptions with_environment(ClientOptions o) {
  if (!o.env) o.env = current_environment();
  if (o.certs_d.empty()) o.certs_d = certs_d_roots(*o.env);
  return o;
}

HttpClientOptions http_options(const ClientOptions& o) {
  HttpClientOptions h;
  h.debug = o.debug;
  h.network = NetworkEnv::from(*o.env);
  h.stall_after = o.stall_after;
  return h;
}

}  // namespace

Session::Session(ClientOptions options)
    : options_(with_environment(std::move(options))), http_(http_options(options_)) {}

Session::~Session() = default;

TlsOptions Session::tls_for(const Host& h) const {
  TlsOptions tls;
  tls.verify = h.verify_tls;
  tls.ca_file = options_.ca_file.empty() ? h.certs.ca_file : options_.ca_file;
  tls.client_cert = h.certs.client_cert;
  tls.client_key = h.certs.client_key;
  return tls;
}

Session::Host& Session::host(const std::string& name) {
  Host* h;
  {
    std::lock_guard lock(mutex_);
    auto& slot = hosts_[name];
    if (!slot) {
      slot = std::make_unique<Host>();
      slot->name = name;
      slot->certs = find_host_certs(options_.certs_d, name);
    }
    h = slot.get();
  }
  std::lock_guard lock(h->mutex);
  if (!h->probed) probe(*h);
  return *h;
}

void Session::probe(Host& h) {
  bool listed = std::find(options_.insecure.begin(), options_.insecure.end(), h.name) != options_.insecure.end();
  bool http_allowed = plain_http_allowed(h.name, options_.insecure);
  h.verify_tls = !listed;

  auto ping = [&](const std::string& scheme) {
    HttpRequest req;
    req.url = scheme + "://" + h.name + "/v2/";
    return with_retries(options_.retry, options_.debug, [&] {
      HttpResponse r = http_.send(req, tls_for(h));
      if (is_retryable_status(r.status)) throw RetryableError("GET " + req.url + " -> " + std::to_string(r.status));
      return r;
    });
  };
  HttpResponse resp;
  try {
    // Where http is a fallback, one https attempt decides: a server that does not speak TLS is not "busy". That
    // attempt only sniffs (no CA bundle loaded: a plain-http loopback registry never pays for parsing it); a server
    // that does speak TLS is then asked again, verified.
    if (http_allowed) {
      HttpRequest once;
      once.url = "https://" + h.name + "/v2/";
      TlsOptions sniff = tls_for(h);
      sniff.sniff = true;
      resp = http_.send(once, sniff);
      if (h.verify_tls) resp = http_.send(once, tls_for(h));
    } else {
      resp = ping("https");
    }
    h.scheme = "https";
    if (is_retryable_status(resp.status)) resp = ping("https");
  } catch (const TransportError& e) {
    if (e.kind() == TransportFailure::tls_verify)
      throw Error("cannot verify the TLS certificate of " + h.name + " (" + e.what() +
                  "); give the CA that signed it as ca_file, or list the host as insecure");
    if (!http_allowed) throw TransportError(e.kind(), "cannot reach registry " + h.name + ": " + e.what(), true);
    try {
      resp = ping("http");
      h.scheme = "http";
    } catch (const TransportError& e2) {
      throw TransportError(e2.kind(), "cannot reach registry " + h.name + " over https (" + e.what() +
                                          ") nor http (" + e2.what() + ")", true);
    }
    // Go's TLS servers (Distribution) answer plain http with this 400: the server does speak https, and the https
    // failure is the one to report.
    if (resp.status == 400 && resp.body.find("HTTPS server") != std::string::npos)
      throw TransportError(e.kind(), "cannot reach registry " + h.name + " over https: " + e.what(), true);
  }
  if (resp.status == 401) {
    for (auto& c : parse_www_authenticate(resp.header("www-authenticate")))
      if (c.scheme == "bearer" || c.scheme == "basic") {
        h.challenge = c;
        break;
      }
    if (!h.challenge) throw Error("registry " + h.name + " asks for authentication in a way Hoist does not support");
  } else if (resp.status == 404) {
    throw Error("registry " + h.name + " does not speak the registry API v2 (GET /v2/ -> 404)");
  }
  auto explicit_credentials = options_.credentials.find(h.name);
  if (explicit_credentials == options_.credentials.end() && h.name == "registry-1.docker.io")
    explicit_credentials = options_.credentials.find("docker.io");
  if (explicit_credentials != options_.credentials.end()) {
    h.credentials = explicit_credentials->second;
    h.explicit_credentials = true;
  } else if (options_.use_docker_config) {
    // The docker config keys registries by what users type; "registry-1.docker.io" is "docker.io" there.
    h.credentials = docker_credentials(h.name, *options_.env, options_.process_runner);
  }
  h.probed = true;
}

std::string Session::fetch_token(Host& h, const std::vector<std::string>& scopes) {
  const std::optional<Credentials>& creds = credentials_for(h, scopes);
  const auto& params = h.challenge->params;
  auto realm = params.find("realm");
  if (realm == params.end() || realm->second.empty())
    throw Error("registry " + h.name + " asks for a Bearer token but names no realm");
  if (creds && !creds->identity_token.empty()) return exchange_refresh_token(h, *creds, scopes);
  auto try_scopes = [&](const std::vector<std::string>& s) {
    std::string url = realm->second;
    std::string query;
    if (auto svc = params.find("service"); svc != params.end()) query += "service=" + url_escape(svc->second);
    for (const auto& scope : s) query += (query.empty() ? "" : "&") + std::string("scope=") + url_escape(scope);
    if (!query.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + query;
    HttpRequest req;
    req.url = url;
    if (creds) req.headers.push_back("Authorization: Basic " + base64_encode(creds->username + ":" + creds->password));
    TlsOptions tls = tls_for(h);
    return with_retries(options_.retry, options_.debug, [&] {
      HttpResponse r = http_.send(req, tls);
      if (is_retryable_status(r.status)) throw RetryableError("token request to " + url_authority(url) + " -> " + std::to_string(r.status));
      return r;
    });
  };
  HttpResponse r = try_scopes(scopes);
  if (r.status == 401 || r.status == 403) {
    // A read-only account may be refused "push": ask again for what it may have.
    std::vector<std::string> pull_only;
    for (auto s : scopes) {
      if (auto p = s.rfind(":pull,push"); p != std::string::npos && p + 10 == s.size()) s.resize(p + 5);
      pull_only.push_back(s);
    }
    if (pull_only != scopes) r = try_scopes(pull_only);
  }
  if (r.status != 200)
    throw Error("authentication to registry " + h.name + " failed: the token server " + url_authority(realm->second) +
                " answered " + std::to_string(r.status) + (creds ? " for the configured credentials" : " (no credentials configured)"));
  return token_from(h, r);
}

// OAuth2 (the Docker token spec's POST form): the refresh token for an access token with `scopes`.
std::string Session::exchange_refresh_token(Host& h, const Credentials& creds, const std::vector<std::string>& scopes) {
  const auto& params = h.challenge->params;
  const std::string realm = params.at("realm");
  std::string form = "grant_type=refresh_token&client_id=hoist&refresh_token=" +
                     url_escape(creds.identity_token);
  if (auto svc = params.find("service"); svc != params.end()) form += "&service=" + url_escape(svc->second);
  if (!scopes.empty()) form += "&scope=" + url_escape(join(scopes, " "));
  StringBody body(form);
  HttpRequest req;
  req.method = "POST";
  req.url = realm;
  req.headers = {"Content-Type: application/x-www-form-urlencoded"};
  req.body = &body;
  HttpResponse r = with_retries(options_.retry, options_.debug, [&] {
    HttpResponse resp = http_.send(req, tls_for(h));
    if (is_retryable_status(resp.status))
      throw RetryableError("token request to " + url_authority(realm) + " -> " + std::to_string(resp.status));
    return resp;
  });
  if (r.status != 200)
    throw Error("authentication to registry " + h.name + " failed: the token server " + url_authority(realm) +
                " answered " + std::to_string(r.status) + " to the identity token (refresh token) of the configured login");
  return token_from(h, r);
}

// The token of a token server's 200 answer: "token", else "access_token" (OAuth2 servers send only that).
std::string Session::token_from(Host& h, const HttpResponse& r) {
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  std::string token;
  if (j.is_object()) {
    if (auto t = j.find("token"); t != j.end() && t->is_string()) token = t->get<std::string>();
    if (auto t = j.find("access_token"); token.empty() && t != j.end() && t->is_string()) token = t->get<std::string>();
  }
  if (token.empty()) throw Error("the token server of registry " + h.name + " answered without a token");
  return token;
}

// Credentials for the repository the scopes name: docker config keys may be scoped to a repository prefix.
const std::optional<Credentials>& Session::credentials_for(Host& h, const std::vector<std::string>& scopes) {
  if (h.explicit_credentials || !options_.use_docker_config || scopes.empty()) return h.credentials;
  const std::string& scope = scopes.front();  // "repository:NAME:pull,push"
  if (scope.rfind("repository:", 0) != 0) return h.credentials;
  const std::string repository = scope.substr(11, scope.rfind(':') - 11);
  auto it = h.by_repository.find(repository);
  if (it == h.by_repository.end())
    it = h.by_repository
             .emplace(repository, docker_credentials(h.name, *options_.env, options_.process_runner, repository))
             .first;
  return it->second;
}

std::string Session::authorization(Host& h, const std::vector<std::string>& scopes, bool renew) {
  std::lock_guard lock(h.mutex);
  if (!h.challenge) return "";
  if (h.challenge->scheme == "basic") {
    const std::optional<Credentials>& creds = credentials_for(h, scopes);
    if (!creds) return "";
    return "Basic " + base64_encode(creds->username + ":" + creds->password);
  }
  std::string key = join(scopes, " ");
  auto it = h.tokens.find(key);
  if (it != h.tokens.end() && !renew) return "Bearer " + it->second;
  std::string token = fetch_token(h, scopes);
  h.tokens[key] = token;
  return "Bearer " + token;
}

std::string Session::base_url(const std::string& name) {
  Host& h = host(name);
  return h.scheme + "://" + h.name;
}

HttpResponse Session::send(const std::string& name, const std::vector<std::string>& scopes, HttpRequest request) {
  Host& h = host(name);
  const std::vector<std::string> base_headers = request.headers;
  for (int attempt = 0;; ++attempt) {
    std::string auth = authorization(h, scopes, attempt > 0);
    HttpRequest req = request;
    req.headers = base_headers;
    // Upload locations may point elsewhere (a storage front end): credentials stay with the registry.
    const bool own_host = url_authority(req.url) == h.name && req.url.rfind(h.scheme + "://", 0) == 0;
    if (!auth.empty() && own_host) req.headers.push_back("Authorization: " + auth);
    HttpResponse resp = http_.send(req, tls_for(h));
    // Follow redirects of reads ourselves: Authorization goes only to the registry's own host.
    for (int hops = 0; is_redirect(resp.status) && !resp.header("location").empty() &&
                       (req.method == "GET" || req.method == "HEAD");
         ++hops) {
      if (hops == 5) throw Error(req.method + " " + request.url + ": too many redirects");
      std::string next = resolve_url(req.url, resp.header("location"));
      if (url_authority(next) != h.name || next.rfind(h.scheme + "://", 0) != 0) {
        req.headers = base_headers;
        if (next.rfind("https://", 0) != 0 && !is_loopback_host(url_authority(next)))
          throw Error(req.method + " " + request.url + ": refusing a redirect to plain http on another host");
      }
      req.url = next;
      resp = http_.send(req, tls_for(h));
    }
    if (resp.status == 401 && attempt == 0 && own_host && h.challenge && (!auth.empty() || h.challenge->scheme == "bearer")) {
      std::lock_guard lock(h.mutex);
      for (auto& c : parse_www_authenticate(resp.header("www-authenticate")))
        if (c.scheme == h.challenge->scheme) h.challenge = c;
      continue;
    }
    return resp;
  }
}

}  // namespace hoist::registry
