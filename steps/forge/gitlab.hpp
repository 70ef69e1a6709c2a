#pragma once
// GitLab's REST API (v4): merge requests and commit statuses, gitlab.com or self-managed. Token: a project, group
// or personal access token with the `api` scope (CI_JOB_TOKEN cannot open merge requests), sent as PRIVATE-TOKEN.
//   find_open  GET  /projects/{id}/merge_requests?state=opened&source_branch=S&target_branch=T
//   get        GET  /projects/{id}/merge_requests/{iid}
//   open       POST /projects/{id}/merge_requests              {source_branch, target_branch, title, description}
//   update     PUT  /projects/{id}/merge_requests/{iid}        {title, description}
//   set_status POST /projects/{id}/statuses/{sha}              {state, name, description, target_url}
//   merge      PUT  /projects/{id}/merge_requests/{iid}/merge  {merge_commit_message, sha}
// {id} is the project's path, URL-encoded ("group%2Fmanifests").

#include <memory>

#include "steps/forge/forge.hpp"
#include "steps/forge/forge_address.hpp"
#include "steps/forge/forge_api.hpp"

namespace hoist::forge {

std::unique_ptr<Forge> make_gitlab(const ForgeAddress& address, const std::string& token,
                                   const ForgeHttpOptions& options);

}  // namespace hoist::forge
