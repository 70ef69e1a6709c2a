#pragma once
// A manifest repository for promotion tests on the real git server: branches qa, staging and master holding
// api-gateway/{qa,staging,prod}.values.yaml, and hoist.yaml on master with a gated prod (2 approvals of alice, bob,
// carol, erin; self_approval false). Values files record the digest next to the tag (image.digest) unless asked not
// to. Promotion checks every tag it writes against the registry, so PromoteServers also runs a real registry holding
// api-gateway 1.0.0 (kD0) and 1.1.0 (kD1): tiny images whose digests are the same in every registry. qa got 1.1.0
// from a pipeline's bump by frank (Hoist-Actor), so its lineage holds. Also: running the hoist binary as a GitLab CI
// user.

#include <map>
#include <string>
#include <vector>

#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/registry_server.hpp"

namespace hoist::test {

// The manifest of a tiny image (a config naming N, no layers): the same bytes, so the same digest, everywhere.
std::string tiny_manifest(int n);
std::string tiny_image_digest(int n);
// Pushes tiny image N into REPOSITORY ("shop/api-gateway") of REGISTRY under TAG; returns its digest.
std::string push_tiny_image(const RegistryServer& registry, const std::string& repository, const std::string& tag,
                            int n);

inline const std::string kD0 = tiny_image_digest(0);  // 1.0.0: runs in staging and prod at first
inline const std::string kD1 = tiny_image_digest(1);  // 1.1.0: runs in qa at first
inline const std::string kD9 = "sha256:" + std::string(64, '9');  // runs nowhere

inline const char* kPromotePolicy = R"(environments:
  qa: {branch: qa, file: "{app}/qa.values.yaml"}
  staging: {branch: staging, file: "{app}/staging.values.yaml", after: qa}
  prod:
    branch: master
    file: "{app}/prod.values.yaml"
    after: staging
    gate:
      approvals: 2
      approvers: [alice, bob, carol, erin]
      self_approval: false
image: "registry.example.com/shop/{app}"
image_key: image.tag
)";

// A values file; without a digest when `digest` is empty.
inline std::string values(const std::string& tag, const std::string& digest) {
  std::string out = "replicaCount: 2\nimage:\n  repository: registry.example.com/shop/api-gateway\n  tag: \"" + tag +
                    "\"   # set by CI\n";
  if (!digest.empty()) out += "  digest: " + digest + "\n";
  return out;
}

inline RepoSeed promote_seed(bool with_digests = true, const std::string& policy = kPromotePolicy) {
  auto d = [&](const std::string& digest) { return with_digests ? digest : std::string(); };
  return {{"qa", {{"api-gateway/qa.values.yaml", values("1.0.0", d(kD0))}}},
          {"staging", {{"api-gateway/staging.values.yaml", values("1.0.0", d(kD0))}}},
          {"master", {{"hoist.yaml", policy}, {"api-gateway/prod.values.yaml", values("1.0.0", d(kD0))}}}};
}

// promote_seed(with_digests, POLICY) as REPO on GIT, then qa bumped to 1.1.0 (kD1) by frank through a pipeline
// (Hoist-Actor: frank), so what qa runs has a lineage.
void create_promote_repo(GitServer& git, const std::string& repo, bool with_digests = true,
                         const std::string& policy = kPromotePolicy);

// The registry with api-gateway 1.0.0 and 1.1.0 and a git server; create() seeds a manifest repository whose policy
// points its image at this registry.
struct PromoteServers {
  RegistryServer registry;
  GitServer git;
  PromoteServers();
  // promote_seed(with_digests, POLICY with the registry's image) as REPO, then qa bumped to 1.1.0 by frank.
  void create(const std::string& repo, bool with_digests = true, const std::string& policy = kPromotePolicy);
  // "127.0.0.1:PORT/NS/shop/{app}"
  std::string image_pattern() const;
};

// Runs the hoist binary as GitLab CI user USER (GITLAB_CI=true, GITLAB_USER_LOGIN) against REPO with the server's credentials; no terminal.
// `env` adds to that environment.
HoistRun hoist_as(const std::string& user, const GitServer& git, const std::string& repo,
                  const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});

}  // namespace hoist::test
