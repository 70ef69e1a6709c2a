// The forge clients against their test servers over real HTTP: GitHub through Prism validating every exchange
// against GitHub's OpenAPI description, GitLab and Bitbucket against servers that accept only the documented
// endpoints and fields. One story each: open a request, a second open updates it, a failing status keeps the merge
// refused, a successful one lets it merge into the target branch with the message given.
#include <catch2/catch.hpp>

#include <algorithm>

#include "runner/util/errors.hpp"
#include "steps/forge/forge_api.hpp"
#include "steps/forge/make_forge.hpp"
#include "tests/support/command.hpp"
#include "tests/support/forge_server.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/github_api.hpp"

using namespace hoist;
using namespace hoist::forge;
using namespace hoist::test;

namespace {

const std::string kBranch = "hoist/promote/api/prod/0123456789ab";

struct Repo {
  GitServer git;
  std::string head;
  Repo() {
    git.create_repo("acme/manifests", {{"prod", {{"api/prod.values.yaml", "image:\n  tag: 1.0.0\n"}}}});
    // The promotion branch starts at prod and changes one file.
    run_command(git_command({"-C", git.repo_path("acme/manifests").string(), "branch", kBranch, "prod"}));
    head = git.commit("acme/manifests", kBranch, {{"api/prod.values.yaml", "image:\n  tag: 1.1.0\n"}}, "promote");
  }
};

// The story every forge tells, with FORGE talking to SERVER.
void merge_request_story(Forge& forge, ForgeServer& server, const Repo& repo) {
  bool created = false;
  MergeRequest mr = open_or_update(forge, {kBranch, "prod", "api: promote 1.1.0 to prod", "first plan"}, &created);
  CHECK(created);
  CHECK(mr.source == kBranch);
  CHECK(mr.target == "prod");
  CHECK(repo.head.rfind(mr.head, 0) == 0);
  CHECK_FALSE(mr.url.empty());

  MergeRequest again = open_or_update(forge, {kBranch, "prod", "api: promote 1.1.0 to prod", "second plan"}, &created);
  CHECK_FALSE(created);
  CHECK(again.id == mr.id);
  REQUIRE(server.merge_requests().size() == 1);
  CHECK(server.merge_requests()[0].description == "second plan");

  forge.set_status(repo.head, {StatusState::failure, "hoist/gate", "1 of 2 approvals", mr.url});
  CHECK_THROWS_AS(forge.merge(mr.id, repo.head, "api: promote\n\nHoist-Image-Digest: sha256:x"), Error);
  CHECK(repo.git.head("acme/manifests", "prod") != repo.head);

  forge.set_status(repo.head, {StatusState::success, "hoist/gate", "2 of 2 approvals", mr.url});
  const std::string merged = forge.merge(mr.id, repo.head, "api: promote\n\nHoist-Image-Digest: sha256:x");
  CHECK(repo.git.head("acme/manifests", "prod") == merged);
  CHECK(repo.git.message("acme/manifests", merged).find("Hoist-Image-Digest: sha256:x") != std::string::npos);
  CHECK(repo.git.read_file("acme/manifests", "prod", "api/prod.values.yaml") == "image:\n  tag: 1.1.0\n");
  CHECK_FALSE(forge.find_open(kBranch, "prod"));
  CHECK(forge.get(mr.id).merged);
  CHECK(server.refusals().empty());
}

ForgeHttpOptions options_with(const std::string& variable, const std::string& token, std::vector<std::string>* log) {
  ForgeHttpOptions o;
  o.env[variable] = token;
  o.log = [log](std::string_view line) { log->emplace_back(line); };
  return o;
}

}  // namespace

TEST_CASE("GitHub client through Prism and GitHub's OpenAPI description: open, update, status, merge", "[forge]") {
  Repo repo;
  GitHubApi github(repo.git.repo_path("acme/manifests"), "acme/manifests");
  std::vector<std::string> log;
  auto forge = make_forge({ForgeKind::github, github.url(), "acme/manifests"}, "",
                          options_with("GITHUB_TOKEN", github.token(), &log));
  merge_request_story(*forge, github.server(), repo);
  INFO(github.prism_log());
  CHECK(github.violations().empty());
  CHECK(std::none_of(log.begin(), log.end(), [&](const std::string& l) { return l.find(github.token()) != l.npos; }));
  CHECK(std::any_of(log.begin(), log.end(), [](const std::string& l) { return l.find("PUT ") == 0; }));
}

TEST_CASE("GitHub through Prism: a request GitHub's description does not allow fails", "[forge]") {
  Repo repo;
  GitHubApi github(repo.git.repo_path("acme/manifests"), "acme/manifests");
  ForgeApi api("GitHub", github.url(), {"Authorization: Bearer " + github.token(), "X-GitHub-Api-Version: 2022-11-28"}, {});
  try {
    api.call("POST", "/repos/acme/manifests/pulls", {{"title", "no head, no base"}});
    FAIL("Prism let it through");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("GitHub refused POST " + github.url() + "/repos/acme/manifests/pulls (422)") &&
                             Catch::Contains("must have required property 'head'"));
  }
  CHECK(github.server().log().empty());  // Prism stopped it: the server never saw it
}

TEST_CASE("GitLab client: open, update, status, merge against the GitLab test server", "[forge]") {
  Repo repo;
  ForgeServer gitlab(ForgeDialect::gitlab, repo.git.repo_path("acme/manifests"), "acme/manifests");
  std::vector<std::string> log;
  auto forge = make_forge({ForgeKind::gitlab, gitlab.api_url(), "acme/manifests"}, "",
                          options_with("GITLAB_TOKEN", gitlab.token(), &log));
  merge_request_story(*forge, gitlab, repo);
  CHECK(gitlab.status_of(repo.head) == "success");
}

TEST_CASE("Bitbucket client: open, update, build status, merge against the Bitbucket test server", "[forge]") {
  Repo repo;
  ForgeServer bitbucket(ForgeDialect::bitbucket, repo.git.repo_path("acme/manifests"), "acme/manifests");
  std::vector<std::string> log;
  auto forge = make_forge({ForgeKind::bitbucket, bitbucket.api_url(), "acme/manifests"}, "",
                          options_with("BITBUCKET_TOKEN", bitbucket.token(), &log));
  merge_request_story(*forge, bitbucket, repo);
  CHECK(bitbucket.status_of(repo.head) == "SUCCESSFUL");
}

TEST_CASE("a forge without a token is an input error naming the variable", "[forge]") {
  CHECK_THROWS_WITH(make_forge({ForgeKind::gitlab, "http://127.0.0.1:9/api/v4", "a/b"}, "", {}),
                    "promotion by merge request on gitlab needs a token: set GITLAB_TOKEN");
}
