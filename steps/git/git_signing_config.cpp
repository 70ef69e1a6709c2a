// See git_signing_config.hpp.
#include "steps/git/git_signing_config.hpp"

#include "steps/git/libgit2.hpp"

namespace hoist {

GitSigningConfig git_signing_config() {
  GitSigningConfig c;
  const std::string sign = git_global_config("commit.gpgsign");
  int on = 0;
  c.sign_commits = !sign.empty() && git_config_parse_bool(&on, sign.c_str()) == 0 && on;
  c.key = git_global_config("user.signingkey");
  c.format = git_global_config("gpg.format");
  return c;
}

}  // namespace hoist
