// Where a forge's API is and what it calls the project, derived from a repository URL or given.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <utility>

#include "runner/util/errors.hpp"
#include "steps/forge/forge_address.hpp"

using namespace hoist;
using namespace hoist::forge;

namespace {

using Where = std::pair<std::string, std::string>;  // the API base, the project

Where api_and_project(ForgeKind kind, std::string_view repo_url, std::string_view forge_url = {}) {
  ForgeAddress a = forge_address(kind, repo_url, forge_url);
  return {a.api, a.project};
}

}  // namespace

TEST_CASE("forge address: github.com, GitHub Enterprise and scp-like URLs", "[forge]") {
  CHECK(api_and_project(ForgeKind::github, "https://ci:tok3n@github.com/acme/manifests.git") ==
        Where{"https://api.github.com", "acme/manifests"});
  CHECK(api_and_project(ForgeKind::github, "git@github.example.com:acme/manifests.git") ==
        Where{"https://github.example.com/api/v3", "acme/manifests"});
}

TEST_CASE("forge address: GitLab subgroups, ports and http", "[forge]") {
  CHECK(api_and_project(ForgeKind::gitlab, "ssh://git@gitlab.example.com:2222/shop/deploy/manifests.git") ==
        Where{"https://gitlab.example.com/api/v4", "shop/deploy/manifests"});
  CHECK(api_and_project(ForgeKind::gitlab, "http://gitlab.internal:8080/shop/manifests/") ==
        Where{"http://gitlab.internal/api/v4", "shop/manifests"});
}

TEST_CASE("forge address: Bitbucket Cloud, and forge_url overrides the derived API", "[forge]") {
  CHECK(api_and_project(ForgeKind::bitbucket, "https://bitbucket.org/acme/manifests.git") ==
        Where{"https://api.bitbucket.org/2.0", "acme/manifests"});
  CHECK(api_and_project(ForgeKind::bitbucket, "https://git.example.com/acme/manifests.git", "http://127.0.0.1:9/2.0/") ==
        Where{"http://127.0.0.1:9/2.0", "acme/manifests"});
}

TEST_CASE("forge address: what cannot be derived is an input error naming the URL, never its credentials", "[forge]") {
  try {
    forge_address(ForgeKind::bitbucket, "https://x-token-auth:s3cr3t@git.example.com/acme/m.git");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "cannot derive the Bitbucket Cloud API from repository 'https://git.example.com/acme/m.git' (not on "
          "bitbucket.org): set forge_url");
  }
  CHECK_THROWS_WITH(forge_address(ForgeKind::github, "/srv/git/manifests"),
                    "cannot tell the github project of repository '/srv/git/manifests': expected https://HOST/PATH, "
                    "ssh://HOST/PATH or USER@HOST:PATH");
  CHECK(parse_forge_kind("gitlab") == ForgeKind::gitlab);
  CHECK_FALSE(parse_forge_kind("gitea"));
}
