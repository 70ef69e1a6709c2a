#pragma once
// Bitbucket Cloud's REST API (2.0): pull requests and build statuses. Token: a repository, project or workspace
// access token (sent as Bearer), or "USER:APP_PASSWORD" (sent as Basic), with pull request write access.
//   find_open  GET  /repositories/{workspace}/{repo}/pullrequests?state=OPEN&q=source.branch.name="S" AND ...
//   get        GET  /repositories/{workspace}/{repo}/pullrequests/{id}
//   open       POST /repositories/{workspace}/{repo}/pullrequests        {title, description, source, destination}
//   update     PUT  /repositories/{workspace}/{repo}/pullrequests/{id}   {title, description}
//   set_status POST /repositories/{workspace}/{repo}/commit/{sha}/statuses/build {key, state, name, description, url}
//   merge      POST /repositories/{workspace}/{repo}/pullrequests/{id}/merge {type, message, merge_strategy}
// Bitbucket's merge takes no expected head, so the head is compared first (a request whose head moved is refused).

#include <memory>

#include "steps/forge/forge.hpp"
#include "steps/forge/forge_address.hpp"
#include "steps/forge/forge_api.hpp"

namespace hoist::forge {

std::unique_ptr<Forge> make_bitbucket(const ForgeAddress& address, const std::string& token,
                                      const ForgeHttpOptions& options);

}  // namespace hoist::forge
