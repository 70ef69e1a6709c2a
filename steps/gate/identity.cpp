// Finding the identity of whoever runs Hoist (see identity.hpp). Pure: git's answer is handed in.
#include "steps/gate/identity.hpp"

#include <algorithm>

#include "runner/util/errors.hpp"

namespace hoist::promote {
namespace {

std::string get(const EnvMap& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

}  // namespace

std::optional<CiIdentity> ci_identity(const EnvMap& env) {
  CiIdentity id;
  auto add = [&](const std::string& v) {
    if (!v.empty() && std::find(id.people.begin(), id.people.end(), v) == id.people.end()) id.people.push_back(v);
  };
  if (get(env, "GITLAB_CI") == "true") {
    id.system = "GitLab";
    add(get(env, "GITLAB_USER_LOGIN"));
  } else if (env.count("BITBUCKET_BUILD_NUMBER")) {
    id.system = "Bitbucket";
    add(get(env, "BITBUCKET_STEP_TRIGGERER_UUID"));
  } else if (get(env, "GITHUB_ACTIONS") == "true") {
    id.system = "GitHub";
    add(get(env, "GITHUB_TRIGGERING_ACTOR"));
    add(get(env, "GITHUB_ACTOR"));
  } else {
    return std::nullopt;
  }
  return id;
}

std::string current_identity(const EnvMap& env, const Policy& policy, const std::function<std::string()>& git_identity) {
  if (auto ci = ci_identity(env)) {
    if (ci->people.empty())
      throw InputError("cannot tell who you are: " + ci->system +
                       " CI is running this job but does not name its user (GITLAB_USER_LOGIN, "
                       "BITBUCKET_STEP_TRIGGERER_UUID, GITHUB_ACTOR)");
    return policy.user_for(ci->people.front());
  }
  if (auto v = git_identity ? git_identity() : std::string(); !v.empty()) return policy.user_for(v);
  if (auto v = get(env, "USER"); !v.empty()) return policy.user_for(v);
  throw InputError("cannot tell who you are: outside CI, set git config user.email (or user.name), or USER");
}

std::vector<std::string> builder_identities(const EnvMap& env, const std::function<std::string()>& git_identity) {
  if (auto ci = ci_identity(env)) return ci->people;
  if (auto v = git_identity ? git_identity() : std::string(); !v.empty()) return {v};
  if (auto v = get(env, "USER"); !v.empty()) return {v};
  return {};
}

std::pair<std::string, std::string> commit_author(const std::string& identity, const EnvMap& env) {
  std::string name = identity, email;
  if (auto ci = ci_identity(env); ci && ci->system == "GitLab") {
    if (auto n = get(env, "GITLAB_USER_NAME"); !n.empty()) name = n;
    email = get(env, "GITLAB_USER_EMAIL");
  }
  if (email.empty()) email = identity.find('@') != std::string::npos ? identity : identity + "@users.noreply.hoist";
  return {name, email};
}

}  // namespace hoist::promote
