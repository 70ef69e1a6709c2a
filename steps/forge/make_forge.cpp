// See make_forge.hpp and forge.hpp.

#include "steps/forge/make_forge.hpp"

#include "runner/util/errors.hpp"
#include "steps/forge/bitbucket.hpp"
#include "steps/forge/github.hpp"
#include "steps/forge/gitlab.hpp"

namespace hoist::forge {

std::unique_ptr<Forge> make_forge(const ForgeAddress& address, const std::string& token,
                                  const ForgeHttpOptions& options) {
  std::string t = token;
  const std::string variable(forge_token_variable(address.kind));
  if (t.empty())
    if (auto it = options.env.find(variable); it != options.env.end()) t = it->second;
  if (t.empty())
    throw InputError("promotion by merge request on " + std::string(forge_kind_name(address.kind)) +
                     " needs a token: set " + variable);
  switch (address.kind) {
    case ForgeKind::github: return make_github(address, t, options);
    case ForgeKind::gitlab: return make_gitlab(address, t, options);
    case ForgeKind::bitbucket: return make_bitbucket(address, t, options);
  }
  return make_github(address, t, options);
}

MergeRequest open_or_update(Forge& forge, const MergeRequestSpec& spec, bool* created) {
  if (auto existing = forge.find_open(spec.source, spec.target)) {
    if (created) *created = false;
    return forge.update(existing->id, spec);
  }
  if (created) *created = true;
  return forge.open(spec);
}

}  // namespace hoist::forge
