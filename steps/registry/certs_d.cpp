// See certs_d.hpp.

#include "steps/registry/certs_d.hpp"

#include <filesystem>

#include "runner/util/errors.hpp"

namespace hoist::registry {

std::vector<std::string> certs_d_roots(const std::map<std::string, std::string>& env) {
  if (auto it = env.find("HOIST_CERTS_D"); it != env.end() && !it->second.empty()) {
    std::vector<std::string> roots;
    for (size_t i = 0; i <= it->second.size();) {
      size_t end = it->second.find(':', i);
      if (end == std::string::npos) end = it->second.size();
      if (end > i) roots.push_back(it->second.substr(i, end - i));
      i = end + 1;
    }
    return roots;
  }
  return {"/etc/containers/certs.d", "/etc/docker/certs.d"};
}

HostCerts find_host_certs(const std::vector<std::string>& roots, const std::string& host) {
  namespace fs = std::filesystem;
  for (const auto& root : roots) {
    std::error_code ec;
    const fs::path dir = fs::path(root) / host;
    if (!fs::is_directory(dir, ec)) continue;
    HostCerts certs;
    if (fs::is_regular_file(dir / "ca.crt", ec)) certs.ca_file = (dir / "ca.crt").string();
    const bool cert = fs::is_regular_file(dir / "client.cert", ec);
    const bool key = fs::is_regular_file(dir / "client.key", ec);
    if (cert != key)
      throw InputError(dir.string() + ": " + (cert ? "client.cert has no client.key" : "client.key has no client.cert") +
                       " beside it");
    if (cert) {
      certs.client_cert = (dir / "client.cert").string();
      certs.client_key = (dir / "client.key").string();
    }
    return certs;
  }
  return {};
}

}  // namespace hoist::registry
