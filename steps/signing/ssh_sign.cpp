// See ssh_sign.hpp.
#include "steps/signing/ssh_sign.hpp"

#include "runner/process/scratch_dir.hpp"
#include "runner/util/errors.hpp"
#include "steps/signing/signing_tool.hpp"

namespace hoist {
namespace {

constexpr std::string_view kLiteralKey = "key::";

std::string home_path(const std::string& key, const std::map<std::string, std::string>& env) {
  if (key.rfind("~/", 0) != 0) return key;
  auto home = env.find("HOME");
  return home == env.end() || home->second.empty() ? key : home->second + key.substr(1);
}

}  // namespace

std::string ssh_sign(ProcessRunner& runner, const std::map<std::string, std::string>& env, std::string_view content,
                     const std::string& key, std::string_view ns, const std::string& what) {
  const std::string failed = "cannot sign " + what + " with ssh key " + key + ": ";
  if (key.empty()) throw InputError(failed + "no key given");
  ScratchDir dir("hoist-sign");
  const std::string key_file = key.rfind(kLiteralKey, 0) == 0
                                   ? dir.write("signing_key.pub", key.substr(kLiteralKey.size()) + "\n")
                                   : home_path(key, env);
  ProcessSpec spec;
  spec.argv = {"ssh-keygen", "-q", "-Y", "sign", "-f", key_file, "-n", std::string(ns)};
  spec.env = env;
  spec.env["SSH_ASKPASS_REQUIRE"] = "never";  // a passphrase nobody can type: fail, do not wait for one
  spec.stdin_data = std::string(content);
  return signature_from_tool(runner, spec, "-----BEGIN SSH SIGNATURE-----", failed);
}

}  // namespace hoist
