// See example_registry.hpp.
#include "tests/support/example_registry.hpp"

#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

#include "steps/http/base64.hpp"
#include "tests/support/command.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/leak_check.hpp"

namespace hoist::test {

ExampleRegistry::ExampleRegistry() : server_(RegistryServer::Mode::basic_auth), dir_("hoist-example-registry") {
  auth_json_ = R"({"auths": {")" + server_.host() + R"(": {"auth": ")" +
               hoist::base64_encode(server_.username() + ":" + server_.password()) + R"("}}})";
  std::filesystem::create_directories(docker_config_dir());
  add_secret_input(auth_file());  // docker's credentials, for Hoist and skopeo to read
  {
    std::ofstream out(auth_file());
    ::chmod(auth_file().c_str(), 0600);
    out << auth_json_ << "\n";
  }
  HoistRun base = run_hoist({"run", "pipelines/base-runtime.yaml"},
                            {{"REGISTRY", server_.host()},
                             {"REGISTRY_AUTH_FILE", auth_file().string()},
                             {"HOIST_CACHE", (dir_ / "cache").string()}});
  if (base.code != 0) throw std::runtime_error("pushing the example base image failed:\n" + base.all());
}

nlohmann::json ExampleRegistry::inspect(const std::string& reference) const {
  Command c;
  c.argv = {"skopeo", "inspect", "--tls-verify=false", "--authfile", auth_file().string(),
            "docker://" + server_.host() + "/" + reference};
  CommandResult r = run_command(c);
  if (!r.ok()) throw std::runtime_error("skopeo inspect " + reference + ": " + r.err);
  return nlohmann::json::parse(r.out);
}

std::vector<std::string> ExampleRegistry::credential_forms() const {
  return hoist::test::credential_forms(server_.username(), server_.password());
}

}  // namespace hoist::test
