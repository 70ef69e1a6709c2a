// The registry fixture (see registry_server.hpp): a thin typed view of scripts/start-registry's env file.
#include "tests/support/registry_server.hpp"

namespace hoist::test {
namespace {

std::string mode_argument(RegistryServer::Mode mode) {
  switch (mode) {
    case RegistryServer::Mode::plain: return "plain";
    case RegistryServer::Mode::basic_auth: return "auth";
    case RegistryServer::Mode::tls: return "tls";
    case RegistryServer::Mode::basic_auth_tls: return "auth-tls";
    case RegistryServer::Mode::token: return "token";
  }
  return "plain";
}

}  // namespace

RegistryServer::RegistryServer(Mode mode) : RegistryServer(mode, "") {}

RegistryServer::RegistryServer(Mode mode, const std::string& token_realm)
    : mode_(mode),
      server_("start-registry", "registry",
              mode == Mode::token ? std::vector<std::string>{mode_argument(mode), token_realm}
                                  : std::vector<std::string>{mode_argument(mode)}),
      host_(server_.value("HOIST_TEST_REGISTRY")),
      scheme_(server_.value("HOIST_TEST_REGISTRY_SCHEME")),
      username_(server_.value("HOIST_TEST_REGISTRY_USERNAME")),
      password_(server_.value("HOIST_TEST_REGISTRY_PASSWORD")),
      ns_("t" + random_hex(4)),
      ca_file_(server_.value("HOIST_TEST_REGISTRY_CA_FILE")),
      port_(std::stoi(host_.substr(host_.rfind(':') + 1))) {}

}  // namespace hoist::test
