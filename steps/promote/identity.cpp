// Finding the identity of whoever runs Hoist (see identity.hpp).
#include "steps/promote/identity.hpp"

#include "runner/util/errors.hpp"
#include "steps/git/libgit2.hpp"

namespace hoist::promote {
namespace {

std::string get(const std::map<std::string, std::string>& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

std::string config_string(git_config* config, const char* name) {
  GitBuf buf;
  if (git_config_get_string_buf(buf.get(), config, name) < 0) return {};
  return buf.str();
}

}  // namespace

std::string git_config_identity() {
  libgit2_init();
  git_config* raw = nullptr;
  if (git_config_open_default(&raw) < 0) return {};
  GitPtr<git_config> config(raw);
  auto snapshot = git_make<git_config>("cannot read the git configuration", git_config_snapshot, config.get());
  std::string id = config_string(snapshot.get(), "user.email");
  if (id.empty()) id = config_string(snapshot.get(), "user.name");
  return id;
}

std::string current_identity(const std::map<std::string, std::string>& env, const Policy& policy,
                             const std::function<std::string()>& git_identity) {
  if (auto v = get(env, "GITLAB_USER_LOGIN"); !v.empty()) return v;
  if (auto v = get(env, "BITBUCKET_STEP_TRIGGERER_UUID"); !v.empty()) return policy.user_for(v);
  if (auto v = get(env, "GITHUB_ACTOR"); !v.empty()) return v;
  if (auto v = git_identity ? git_identity() : std::string(); !v.empty()) return v;
  if (auto v = get(env, "USER"); !v.empty()) return v;
  throw InputError(
      "cannot tell who you are: set GITLAB_USER_LOGIN, BITBUCKET_STEP_TRIGGERER_UUID or GITHUB_ACTOR, "
      "or git config user.email, or USER");
}

std::string current_identity(const std::map<std::string, std::string>& env, const Policy& policy) {
  return current_identity(env, policy, git_config_identity);
}

}  // namespace hoist::promote
