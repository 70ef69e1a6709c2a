#pragma once
// The one place that picks a forge client by kind.

#include <memory>
#include <string>

#include "steps/forge/forge.hpp"
#include "steps/forge/forge_address.hpp"
#include "steps/forge/forge_api.hpp"

namespace hoist::forge {

// TOKEN: the given one, else the forge's variable (GITHUB_TOKEN, ...) from options.env. Throws InputError naming
// the variable when neither is set. The token only ever travels in a request header.
std::unique_ptr<Forge> make_forge(const ForgeAddress& address, const std::string& token,
                                  const ForgeHttpOptions& options);

}  // namespace hoist::forge
