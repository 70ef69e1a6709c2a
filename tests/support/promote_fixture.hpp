#pragma once
// A manifest repository for promotion tests on the real git server: branches qa, staging and master holding
// api-gateway/{qa,staging,prod}.values.yaml, and hoist.yaml on master with a gated prod (2 approvals of alice, bob,
// carol, erin; self_approval false). Values files record the digest next to the tag (image.digest) unless asked not
// to, so the hoist binary can promote without a registry. Also: running the hoist binary as a given CI user.

#include <map>
#include <string>
#include <vector>

#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"

namespace hoist::test {

inline const std::string kD0 = "sha256:" + std::string(64, '0');  // runs in staging and prod at first
inline const std::string kD1 = "sha256:" + std::string(64, '1');  // runs in qa at first
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
  return {{"qa", {{"api-gateway/qa.values.yaml", values("1.1.0", d(kD1))}}},
          {"staging", {{"api-gateway/staging.values.yaml", values("1.0.0", d(kD0))}}},
          {"master", {{"hoist.yaml", policy}, {"api-gateway/prod.values.yaml", values("1.0.0", d(kD0))}}}};
}

// Runs the hoist binary as CI user USER (GITLAB_USER_LOGIN) against REPO with the server's credentials; no terminal.
// `env` adds to that environment.
HoistRun hoist_as(const std::string& user, const GitServer& git, const std::string& repo,
                  const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {});

}  // namespace hoist::test
