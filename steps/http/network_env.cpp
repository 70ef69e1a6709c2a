// See network_env.hpp.

#include "steps/http/network_env.hpp"

#include <algorithm>
#include <cctype>

#include "runner/util/url_userinfo.hpp"

namespace hoist {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The lower-case variable first (curl, wget and git agree on that), then the upper-case one.
std::string either_case(const std::map<std::string, std::string>& env, const std::string& lower_name) {
  if (auto it = env.find(lower_name); it != env.end() && !it->second.empty()) return it->second;
  std::string upper = lower_name;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (auto it = env.find(upper); it != env.end() && !it->second.empty()) return it->second;
  return "";
}

// "name:port" -> {"name", "port"}; "[::1]:5000" -> {"::1", "5000"}; "name" -> {"name", ""}.
std::pair<std::string, std::string> split_host_port(const std::string& host) {
  if (!host.empty() && host[0] == '[') {
    auto close = host.find(']');
    std::string name = host.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    std::string port = close != std::string::npos && close + 1 < host.size() && host[close + 1] == ':'
                           ? host.substr(close + 2)
                           : "";
    return {name, port};
  }
  auto colon = host.rfind(':');
  if (colon != std::string::npos && host.find(':') == colon) return {host.substr(0, colon), host.substr(colon + 1)};
  return {host, ""};
}

std::string url_scheme(const std::string& url) {
  auto p = url.find("://");
  return p == std::string::npos ? "" : lower(url.substr(0, p));
}

}  // namespace

NetworkEnv NetworkEnv::from(const std::map<std::string, std::string>& env) {
  NetworkEnv n;
  n.https_proxy = either_case(env, "https_proxy");
  n.http_proxy = either_case(env, "http_proxy");
  n.all_proxy = either_case(env, "all_proxy");
  n.no_proxy = either_case(env, "no_proxy");
  if (auto it = env.find("SSL_CERT_FILE"); it != env.end()) n.ssl_cert_file = it->second;
  if (auto it = env.find("SSL_CERT_DIR"); it != env.end()) n.ssl_cert_dir = it->second;
  return n;
}

std::string NetworkEnv::proxy_for(const std::string& url) const {
  const std::string scheme = url_scheme(url);
  std::string proxy = scheme == "https" ? https_proxy : scheme == "http" ? http_proxy : "";
  if (proxy.empty() && (scheme == "https" || scheme == "http")) proxy = all_proxy;
  if (proxy.empty()) return "";
  std::string host = url_authority(url);
  if (!no_proxy.empty()) {
    if (no_proxy_matches(no_proxy, host)) return "";
    // A URL without a port still has one: "NO_PROXY=host:443" covers "https://host/".
    if (split_host_port(host).second.empty() &&
        no_proxy_matches(no_proxy, host + ":" + (scheme == "https" ? "443" : "80")))
      return "";
  }
  return proxy;
}

bool no_proxy_matches(const std::string& no_proxy, const std::string& host) {
  auto [name, port] = split_host_port(lower(host));
  size_t i = 0;
  while (i < no_proxy.size()) {
    size_t end = no_proxy.find_first_of(", ", i);
    if (end == std::string::npos) end = no_proxy.size();
    std::string entry = lower(no_proxy.substr(i, end - i));
    i = end + 1;
    if (entry.empty()) continue;
    if (entry == "*") return true;
    auto [entry_name, entry_port] = split_host_port(entry);
    if (!entry_port.empty() && entry_port != port) continue;
    if (entry_name.rfind("*.", 0) == 0) entry_name = entry_name.substr(1);
    if (!entry_name.empty() && entry_name[0] == '.') entry_name = entry_name.substr(1);
    if (entry_name.empty()) continue;
    if (name == entry_name) return true;
    if (name.size() > entry_name.size() && name.ends_with(entry_name) &&
        name[name.size() - entry_name.size() - 1] == '.')
      return true;
  }
  return false;
}

std::string proxy_display(const std::string& proxy_url) {
  std::string url = proxy_url.find("://") == std::string::npos ? "http://" + proxy_url : proxy_url;
  return strip_url_userinfo(url);
}

}  // namespace hoist
