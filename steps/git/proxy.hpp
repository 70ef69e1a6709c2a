#pragma once
// Which proxy libgit2 goes through, decided the way git decides it: git's http.proxy (user and system config) when
// set, else the environment (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, either case); NO_PROXY exempts hosts from both
// (steps/http/network_env.hpp holds the rules, shared with the registry and webhook clients). ssh and local
// repositories never use one. Left to itself, libgit2 would use no proxy at all.

#include <git2.h>

#include <map>
#include <string>

namespace hoist {

// The proxy URL for the repository at `url` (credentials included: never log it), or "" for a direct connection.
std::string git_proxy_url(const std::string& url, const std::map<std::string, std::string>& env);

// libgit2's options for `proxy_url` (which must outlive them): GIT_PROXY_SPECIFIED, or GIT_PROXY_NONE when empty.
// A user and password in the URL are answered to the proxy's 407 through a credential callback.
git_proxy_options git_proxy_options_for(const std::string& proxy_url);

struct RemoteSession;
// The proxy for the session's remote, for git_remote_connect and the fetch/push options; valid while the session
// lives (it keeps the URL in `session.proxy_url`).
git_proxy_options session_proxy_options(RemoteSession& session);

}  // namespace hoist
