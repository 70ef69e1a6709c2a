#pragma once
// Per-registry TLS files, where Podman (/etc/containers/certs.d) and Docker (/etc/docker/certs.d) keep them:
// ROOT/HOST[:PORT]/ca.crt is the CA trusted for that registry, ROOT/HOST[:PORT]/client.cert with client.key is the
// client certificate it asks for (mutual TLS). The first root holding a folder for the host wins.

#include <map>
#include <string>
#include <vector>

namespace hoist::registry {

struct HostCerts {
  std::string ca_file;      // empty: none
  std::string client_cert;  // both or neither
  std::string client_key;
};

// The roots to look in: $HOIST_CERTS_D (folders separated by ':') when set, else the two above.
std::vector<std::string> certs_d_roots(const std::map<std::string, std::string>& env);
// The files for `host` ("name" or "name:port"). Throws hoist::InputError when a client certificate comes without
// its key or the other way round (naming the folder).
HostCerts find_host_certs(const std::vector<std::string>& roots, const std::string& host);

}  // namespace hoist::registry
