#pragma once
// OpenPGP signatures, made by `gpg --detach-sign --armor` as git makes them for gpg.format openpgp.

#include <map>
#include <string>
#include <string_view>

#include "runner/process/process.hpp"

namespace hoist {

// Signs CONTENT with KEY (gpg's --local-user: a key id, fingerprint or email; "" for gpg's default key) and returns
// the armored signature ("-----BEGIN PGP SIGNATURE-----..."). ENV is the environment gpg runs with: its PATH finds
// gpg, its GNUPGHOME (else ~/.gnupg) is the keyring. gpg never asks for a passphrase: the key has none, or gpg-agent
// holds it unlocked. Throws hoist::Error "cannot sign WHAT with openpgp key KEY: <gpg's message>".
std::string openpgp_sign(ProcessRunner& runner, const std::map<std::string, std::string>& env,
                         std::string_view content, const std::string& key, const std::string& what);

}  // namespace hoist
