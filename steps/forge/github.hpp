#pragma once
// GitHub's REST API (v3, X-GitHub-Api-Version 2022-11-28): pulls and commit statuses. github.com or GitHub
// Enterprise Server (base .../api/v3). Token: a fine-grained or classic token, or Actions' GITHUB_TOKEN, with
// pull-requests: write and statuses: write.
//   find_open  GET   /repos/{owner}/{repo}/pulls?state=open&head={owner}:{source}&base={target}
//   get        GET   /repos/{owner}/{repo}/pulls/{number}
//   open       POST  /repos/{owner}/{repo}/pulls               {title, head, base, body}
//   update     PATCH /repos/{owner}/{repo}/pulls/{number}      {title, body}
//   set_status POST  /repos/{owner}/{repo}/statuses/{sha}      {state, context, description, target_url}
//   merge      PUT   /repos/{owner}/{repo}/pulls/{number}/merge {commit_title, commit_message, sha, merge_method}

#include <memory>

#include "steps/forge/forge.hpp"
#include "steps/forge/forge_address.hpp"
#include "steps/forge/forge_api.hpp"

namespace hoist::forge {

std::unique_ptr<Forge> make_github(const ForgeAddress& address, const std::string& token,
                                   const ForgeHttpOptions& options);

}  // namespace hoist::forge
