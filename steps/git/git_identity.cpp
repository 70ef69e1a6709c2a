// See git_identity.hpp.
#include "steps/git/git_identity.hpp"

#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

std::string config_string(git_config* config, const char* name) {
  GitBuf buf;
  if (git_config_get_string_buf(buf.get(), config, name) < 0) return {};
  return buf.str();
}

}  // namespace

std::string git_user_identity(git_config* config) {
  std::string id = config_string(config, "user.email");
  if (id.empty()) id = config_string(config, "user.name");
  return id;
}

std::string git_user_identity() {
  libgit2_init();
  git_config* raw = nullptr;
  if (git_config_open_default(&raw) < 0) return {};
  GitPtr<git_config> config(raw);
  auto snapshot = git_make<git_config>("cannot read the git configuration", git_config_snapshot, config.get());
  return git_user_identity(snapshot.get());
}

}  // namespace hoist
