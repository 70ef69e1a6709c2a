// See forge_address.hpp.

#include "steps/forge/forge_address.hpp"

#include "runner/util/errors.hpp"
#include "runner/util/url_userinfo.hpp"

namespace hoist::forge {
namespace {

struct UrlParts {
  std::string scheme;  // "https", "http", "ssh"; "ssh" for scp-like
  std::string host;    // without port and userinfo
  std::string path;    // without leading '/', trailing '/' and ".git"
};

UrlParts split(std::string_view url) {
  UrlParts p;
  std::string_view rest;
  if (auto sep = url.find("://"); sep != std::string_view::npos) {
    p.scheme = std::string(url.substr(0, sep));
    rest = url.substr(sep + 3);
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
    if (auto colon = authority.rfind(':'); colon != std::string_view::npos && authority.find(']') == std::string_view::npos)
      authority = authority.substr(0, colon);
    p.host = std::string(authority);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  } else if (auto colon = url.find(':'); colon != std::string_view::npos && url.find('/') > colon) {
    p.scheme = "ssh";  // git@github.com:acme/manifests.git
    std::string_view authority = url.substr(0, colon);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
    p.host = std::string(authority);
    rest = url.substr(colon + 1);
  }
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.size() > 4 && rest.substr(rest.size() - 4) == ".git") rest.remove_suffix(4);
  p.path = std::string(rest);
  return p;
}

}  // namespace

std::optional<ForgeKind> parse_forge_kind(std::string_view text) {
  if (text == "github") return ForgeKind::github;
  if (text == "gitlab") return ForgeKind::gitlab;
  if (text == "bitbucket") return ForgeKind::bitbucket;
  return std::nullopt;
}

std::string_view forge_kind_name(ForgeKind kind) {
  switch (kind) {
    case ForgeKind::github: return "github";
    case ForgeKind::gitlab: return "gitlab";
    case ForgeKind::bitbucket: return "bitbucket";
  }
  return "github";
}

std::string_view forge_token_variable(ForgeKind kind) {
  switch (kind) {
    case ForgeKind::github: return "GITHUB_TOKEN";
    case ForgeKind::gitlab: return "GITLAB_TOKEN";
    case ForgeKind::bitbucket: return "BITBUCKET_TOKEN";
  }
  return "GITHUB_TOKEN";
}

ForgeAddress forge_address(ForgeKind kind, std::string_view repo_url, std::string_view forge_url) {
  const std::string shown = strip_url_userinfo(repo_url);
  UrlParts p = split(repo_url);
  if (p.host.empty() || p.path.empty())
    throw InputError("cannot tell the " + std::string(forge_kind_name(kind)) + " project of repository '" + shown +
                     "': expected https://HOST/PATH, ssh://HOST/PATH or USER@HOST:PATH");
  ForgeAddress a{kind, std::string(forge_url), p.path};
  while (!a.api.empty() && a.api.back() == '/') a.api.pop_back();
  if (!a.api.empty()) return a;
  const std::string scheme = p.scheme == "http" ? "http" : "https";
  switch (kind) {
    case ForgeKind::github:
      a.api = p.host == "github.com" ? "https://api.github.com" : scheme + "://" + p.host + "/api/v3";
      break;
    case ForgeKind::gitlab:
      a.api = scheme + "://" + p.host + "/api/v4";
      break;
    case ForgeKind::bitbucket:
      if (p.host != "bitbucket.org")
        throw InputError("cannot derive the Bitbucket Cloud API from repository '" + shown +
                         "' (not on bitbucket.org): set forge_url");
      a.api = "https://api.bitbucket.org/2.0";
      break;
  }
  return a;
}

}  // namespace hoist::forge
