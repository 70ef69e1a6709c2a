// See openpgp_sign.hpp.
#include "steps/signing/openpgp_sign.hpp"

#include "steps/signing/signing_tool.hpp"

namespace hoist {

std::string openpgp_sign(ProcessRunner& runner, const std::map<std::string, std::string>& env,
                         std::string_view content, const std::string& key, const std::string& what) {
  const std::string failed =
      "cannot sign " + what + " with openpgp key " + (key.empty() ? "(gpg's default key)" : key) + ": ";
  ProcessSpec spec;
  // --pinentry-mode error: a passphrase that gpg-agent does not hold fails at once instead of waiting for a prompt.
  spec.argv = {"gpg", "--batch", "--no-tty", "--pinentry-mode", "error", "--armor", "--detach-sign"};
  if (!key.empty()) spec.argv.insert(spec.argv.end(), {"--local-user", key});
  spec.env = env;
  spec.stdin_data = std::string(content);
  return signature_from_tool(runner, spec, "-----BEGIN PGP SIGNATURE-----", failed);
}

}  // namespace hoist
