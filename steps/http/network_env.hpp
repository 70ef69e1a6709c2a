#pragma once
// The network settings a CI runner passes through its environment, read once and applied the same way by every
// client (the registry's and the webhook's libcurl handles, libgit2): proxies (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY,
// NO_PROXY, each in either case, the lower-case one first as curl reads them) and CA locations (SSL_CERT_FILE,
// SSL_CERT_DIR, as OpenSSL reads them). No libcurl or libgit2 type here: this is plain data and string matching.
//
// NO_PROXY: a comma- (or space-) separated list; "*" matches every host; "example.com" and ".example.com" match
// that host and its subdomains; an entry with a port ("host:5000") matches only that port; IP literals match
// exactly. Hosts are compared case-insensitively.

#include <map>
#include <string>

namespace hoist {

struct NetworkEnv {
  std::string https_proxy;  // for https:// URLs
  std::string http_proxy;   // for http:// URLs
  std::string all_proxy;    // for either, when the scheme's own is not set
  std::string no_proxy;
  std::string ssl_cert_file;  // PEM bundle to verify servers with, instead of the system's
  std::string ssl_cert_dir;   // hashed certificate directory, instead of the system's

  static NetworkEnv from(const std::map<std::string, std::string>& env);

  // The proxy URL to reach `url` through (as given, credentials included: never log it, see proxy_display), or ""
  // to connect directly.
  std::string proxy_for(const std::string& url) const;
};

// Whether `host` ("name", "name:port", "[::1]:port") is listed in `no_proxy`.
bool no_proxy_matches(const std::string& no_proxy, const std::string& host);
// A proxy URL for messages: "http://proxy:3128", any user and password left out.
std::string proxy_display(const std::string& proxy_url);

}  // namespace hoist
