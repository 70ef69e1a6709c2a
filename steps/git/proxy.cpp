// See proxy.hpp.

#include "steps/git/proxy.hpp"

#include <cctype>

#include "steps/git/fetch.hpp"
#include "steps/git/libgit2.hpp"
#include "runner/util/url_userinfo.hpp"
#include "steps/http/network_env.hpp"

namespace hoist {
namespace {

// git's http.proxy from the user's and the system's git config, or "".
std::string configured_http_proxy() { return git_global_config("http.proxy"); }

// Answers the proxy's 407 with the user and password of its URL (payload: the URL), once.
int proxy_credentials(git_credential** out, const char* /*url*/, const char* /*user*/, unsigned int allowed,
                      void* payload) {
  const std::string& proxy = *static_cast<const std::string*>(payload);
  if (!(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT)) return GIT_PASSTHROUGH;
  size_t start = proxy.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t at = proxy.find('@', start);
  size_t end = proxy.find_first_of("/?#", start);
  if (at == std::string::npos || (end != std::string::npos && at > end)) {
    git_error_set_str(GIT_ERROR_NET, "the proxy asks for credentials: give its user and password in the proxy URL");
    return GIT_EAUTH;
  }
  std::string userinfo = proxy.substr(start, at - start);
  size_t colon = userinfo.find(':');
  std::string user = percent_decode(userinfo.substr(0, colon));
  std::string pass = colon == std::string::npos ? "" : percent_decode(userinfo.substr(colon + 1));
  return git_credential_userpass_plaintext_new(out, user.c_str(), pass.c_str());
}

}  // namespace

std::string git_proxy_url(const std::string& url, const std::map<std::string, std::string>& env) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return "";
  NetworkEnv net = NetworkEnv::from(env);
  if (std::string configured = configured_http_proxy(); !configured.empty()) {
    // One proxy for both schemes, as git uses http.proxy; NO_PROXY still applies.
    net.https_proxy = net.http_proxy = configured;
  }
  std::string proxy = net.proxy_for(url);
  if (!proxy.empty() && proxy.find("://") == std::string::npos) proxy = "http://" + proxy;  // "host:3128", as git allows
  return proxy;
}

git_proxy_options git_proxy_options_for(const std::string& proxy_url) {
  git_proxy_options opts;
  git_proxy_options_init(&opts, GIT_PROXY_OPTIONS_VERSION);
  if (proxy_url.empty()) {
    opts.type = GIT_PROXY_NONE;
    return opts;
  }
  opts.type = GIT_PROXY_SPECIFIED;
  opts.url = proxy_url.c_str();
  opts.credentials = &proxy_credentials;
  opts.payload = const_cast<std::string*>(&proxy_url);
  return opts;
}

git_proxy_options session_proxy_options(RemoteSession& session) {
  session.proxy_url = git_proxy_url(session.remote.url, session.credentials.env());
  return git_proxy_options_for(session.proxy_url);
}

}  // namespace hoist
