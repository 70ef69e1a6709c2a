#pragma once
// Where a forge's API is and which project it calls the manifest repository: derived from the repository's URL
// (https://github.com/acme/manifests.git -> https://api.github.com, acme/manifests), or given (`forge_url:` in
// hoist.yaml, for GitHub Enterprise, a self-managed GitLab on another host, or a test server).
//
//   github     github.com -> https://api.github.com; another host H -> https://H/api/v3 (GitHub Enterprise Server)
//   gitlab     https://H/api/v4 (http only when the repository URL is http)
//   bitbucket  bitbucket.org -> https://api.bitbucket.org/2.0 (Bitbucket Cloud; other hosts need forge_url)
// The project is the URL's path without ".git": "owner/repo", GitLab's "group/subgroup/project", Bitbucket's
// "workspace/repo". URLs may be https://, http://, ssh://[user@]host[:port]/path or scp-like user@host:path;
// userinfo is never kept.

#include <optional>
#include <string>
#include <string_view>

namespace hoist::forge {

enum class ForgeKind { github, gitlab, bitbucket };

// "github", "gitlab", "bitbucket"; nullopt for anything else.
std::optional<ForgeKind> parse_forge_kind(std::string_view text);
std::string_view forge_kind_name(ForgeKind kind);
// The variable the token comes from when the step or command gives none: GITHUB_TOKEN, GITLAB_TOKEN, BITBUCKET_TOKEN.
std::string_view forge_token_variable(ForgeKind kind);

struct ForgeAddress {
  ForgeKind kind = ForgeKind::github;
  std::string api;      // the API's base URL, no trailing '/'
  std::string project;  // as the forge names the repository
};

// Throws InputError naming the URL when it has no host or no path, or when the API cannot be derived (Bitbucket
// outside bitbucket.org) and FORGE_URL is empty.
ForgeAddress forge_address(ForgeKind kind, std::string_view repo_url, std::string_view forge_url = {});

}  // namespace hoist::forge
