#pragma once
// What git's own configuration says about signing commits (commit.gpgsign, user.signingkey, gpg.format), from the
// global and system configuration: Hoist signs its commits with that key when nothing closer chose one
// (steps/signing/commit_signer.hpp decides).

#include <string>

namespace hoist {

struct GitSigningConfig {
  bool sign_commits = false;  // commit.gpgsign
  std::string key;            // user.signingkey ("" when unset)
  std::string format;         // gpg.format ("" when unset: git's default, openpgp)
};

GitSigningConfig git_signing_config();

}  // namespace hoist
