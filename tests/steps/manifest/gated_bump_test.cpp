// A bump must not move a gated environment: `hoist bump` / manifest/bump writing prod's values file on prod's branch
// is refused (the policy on the default branch says which files are gated) and points at `hoist promote`. Also the
// wording for a --file outside the repository.
#include <catch2/catch.hpp>

#include "steps/manifest/gated_files.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

TEST_CASE("gated_files: an environment's values files on its branch, for any app", "[bump][gate]") {
  const promote::Policy policy = promote::load_policy(kPromotePolicy, "hoist.yaml");
  CHECK(gated_files(policy, "master", {"api-gateway/prod.values.yaml"}) ==
        std::vector<std::string>{"prod (api-gateway/prod.values.yaml)"});
  CHECK(gated_files(policy, "master", {"./web/prod.values.yaml", "README.md"}) ==
        std::vector<std::string>{"prod (web/prod.values.yaml)"});
  CHECK(gated_files(policy, "master", {"api-gateway/staging.values.yaml", "hoist.yaml"}).empty());
  CHECK(gated_files(policy, "staging", {"api-gateway/staging.values.yaml"}).empty());  // staging has no gate
  CHECK(gated_files(policy, "qa", {"api-gateway/prod.values.yaml"}).empty());          // not prod's branch
}

TEST_CASE("gated_files: an app's own files (`apps:` by name, by glob, per environment) are gated too", "[bump][gate]") {
  const promote::Policy policy = promote::load_policy(std::string(kPromotePolicy) + R"(apps:
  web: {file: "web/overlays/{env}/kustomization.yaml", image_at: {kustomize: reg/web}}
  "batch-*": {file: {prod: "batch/{app}.yaml"}}
)", "hoist.yaml");
  CHECK(gated_files(policy, "master", {"web/overlays/prod/kustomization.yaml", "web/overlays/qa/kustomization.yaml",
                                       "batch/batch-nightly.yaml", "batch/other.yaml", "web/prod.values.yaml"}) ==
        std::vector<std::string>{"prod (web/overlays/prod/kustomization.yaml)", "prod (batch/batch-nightly.yaml)"});
}

TEST_CASE("hoist bump refuses a gated environment's values file and points at hoist promote", "[bump][gate]") {
  GitServer git;
  create_promote_repo(git, "manifests");
  const auto before = git.head("manifests", "master");
  HoistRun r = hoist_as("erin", git, "manifests",
                        {"bump", "--repo", git.url("manifests"), "--branch", "master", "--file",
                         "api-gateway/prod.values.yaml", "--set", "image.tag=6.6.6"});
  INFO(r.out << r.err);
  CHECK(r.code == 3);  // a gate refusal (DESIGN "Exit codes")
  CHECK_THAT(r.all(), Catch::Contains("branch 'master' holds prod (api-gateway/prod.values.yaml), which has a gate in "
                                      "hoist.yaml: a bump would skip it. Use `hoist promote`"));
  CHECK(git.head("manifests", "master") == before);

  // Other files on that branch, and ungated environments, are bumped as before.
  HoistRun staging = hoist_as("erin", git, "manifests",
                              {"bump", "--repo", git.url("manifests"), "--branch", "staging", "--file",
                               "api-gateway/staging.values.yaml", "--set", "replicaCount=3"});
  INFO(staging.out << staging.err);
  CHECK(staging.code == 0);
}

TEST_CASE("hoist bump --file outside the repository says so", "[bump]") {
  GitServer git;
  create_promote_repo(git, "manifests");
  for (const std::string file : {"/etc/passwd", "../x.yaml", "a/./b.yaml", ".git/config"}) {
    HoistRun r = hoist_as("erin", git, "manifests",
                          {"bump", "--repo", git.url("manifests"), "--branch", "qa", "--file", file, "--set", "a=b"});
    INFO(file << ": " << r.out << r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("'file' must be a path inside the manifest repository, like "
                                      "api-gateway/qa.values.yaml, got '" + file + "'"));
    CHECK_THAT(r.err, !Catch::Contains("map::at"));
  }
}

TEST_CASE("a warm bump reads the policy its cache holds, and a policy changed since is fetched before pushing",
          "[bump][gate]") {
  GitServer git;
  create_promote_repo(git, "manifests");
  hoist::test::TempDir cache;
  const std::map<std::string, std::string> env = {{"HOIST_CACHE", cache.path().string()}};
  auto bump_staging = [&](const std::string& replicas) {
    return hoist_as("erin", git, "manifests",
                    {"bump", "--repo", git.url("manifests"), "--branch", "staging", "--file",
                     "api-gateway/staging.values.yaml", "--set", "replicaCount=" + replicas},
                    env);
  };
  HoistRun first = bump_staging("3");  // cold: the branch and the default branch in one fetch
  INFO(first.out << first.err);
  REQUIRE(first.code == 0);
  CHECK(git.read_file("manifests", "staging", "api-gateway/staging.values.yaml")->find("replicaCount: 3\n") == 0);

  HoistRun warm = bump_staging("4");  // warm: nothing moved, so it pushes without fetching
  INFO(warm.out << warm.err);
  REQUIRE(warm.code == 0);
  CHECK_THAT(warm.all(), !Catch::Contains("fetched branch"));

  // Someone gates staging on the default branch. The cache still holds the old policy; the push sees the default
  // branch moved, sends nothing, fetches, and the edit refuses by the new policy.
  std::string policy = hoist::test::kPromotePolicy;
  policy.replace(policy.find("after: qa}"), 10, "after: qa, gate: {approvals: 1, approvers: [alice]}}");
  git.commit("manifests", "master", {{"hoist.yaml", policy}}, "gate staging");
  const auto before = git.head("manifests", "staging");
  HoistRun gated = bump_staging("5");
  INFO(gated.out << gated.err);
  CHECK(gated.code == 3);  // as for a cold bump of a gated file (above)
  CHECK_THAT(gated.all(), Catch::Contains("refs/heads/master moved since it was fetched"));
  CHECK_THAT(gated.all(), Catch::Contains("branch 'staging' holds staging (api-gateway/staging.values.yaml), which has "
                                          "a gate in hoist.yaml"));
  CHECK(git.head("manifests", "staging") == before);
}
