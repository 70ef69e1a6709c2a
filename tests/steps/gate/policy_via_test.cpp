// `via`, `forge` and `forge_url` on an environment (promotion by merge request): what they load to, and each
// mistake at its hoist.yaml:line:col.
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/gate/policy.hpp"
#include "tests/support/gate_fixtures.hpp"
#include "tests/support/read_file.hpp"

using namespace hoist;
using namespace hoist::promote;

using hoist::test::policy_problems;

TEST_CASE("policy: via: merge_request with its forge and API", "[policy][forge]") {
  Policy p = load_policy(R"(environments:
  staging: {branch: staging, file: s.yaml}
  prod:
    branch: main
    file: p.yaml
    after: staging
    via: merge_request
    forge: gitlab
    forge_url: https://gitlab.example.com/api/v4
image: x/{app}
)", "hoist.yaml");
  const Environment& prod = p.environment("prod");
  CHECK(prod.via_merge_request);
  CHECK(prod.forge == "gitlab");
  CHECK(prod.forge_url == "https://gitlab.example.com/api/v4");
  CHECK_FALSE(p.environment("staging").via_merge_request);
}

TEST_CASE("policy: via and forge mistakes are reported at the value", "[policy][forge]") {
  CHECK(policy_problems(R"(environments:
  qa: {branch: qa, file: q.yaml, via: pull_request}
  staging: {branch: staging, file: s.yaml, via: merge_request}
  prod: {branch: main, file: p.yaml, via: merge_request, forge: gitlabb}
  dev: {branch: dev, file: d.yaml, forge_url: "https://x"}
image: x/{app}
)") == "hoist.yaml:2:39: 'via' must be 'push' or 'merge_request', got 'pull_request'\n"
       "hoist.yaml:3:49: 'via: merge_request' needs 'forge: github', 'gitlab' or 'bitbucket'\n"
       "hoist.yaml:4:65: 'forge' must be 'github', 'gitlab' or 'bitbucket', got 'gitlabb' (did you mean 'gitlab'?)\n"
       "hoist.yaml:5:47: 'forge_url' needs 'via: merge_request'\n");
}

TEST_CASE("policy: the protected-production example is a valid policy", "[policy][forge]") {
  Policy p = load_policy(hoist::test::read_file(std::string(HOIST_SOURCE_DIR) + "/examples/protected/hoist.yaml"),
                         "hoist.yaml");
  CHECK(p.environment("prod").via_merge_request);
  CHECK(p.environment("prod").forge == "gitlab");
}
