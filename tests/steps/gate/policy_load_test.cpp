// hoist.yaml loading: a full policy read back field by field, the promotion order, and file/image names per app.
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/gate/policy.hpp"

using namespace hoist;
using namespace hoist::promote;

namespace {

const char* kPolicy = R"(environments:
  qa:      {branch: qa, file: "{app}/qa.values.yaml", after: dev}
  dev:     {branch: dev, file: "{app}/dev.values.yaml"}
  staging: {branch: staging, file: "{app}/staging.values.yaml", after: qa}
  prod:
    branch: master
    file: "{app}/prod.values.yaml"
    after: staging
    registry: prod.example.com:5000
    gate:
      approvals: 2
      approvers: [carol, "@sre"]
      self_approval: false
      freeze: ["Fri 16:00 - Mon 08:00 +09:00", "Wed 12:00 - Wed 13:00 Z"]
      approval_ttl: 12h
      signed: true
      allowed_signers: |
        alice ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA
        bob ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB
image: "registry.example.com/shop/{app}"
image_key: values.image.tag
groups:
  sre: [alice, bob]
identities:
  "{123e4567-e89b-12d3-a456-426614174000}": alice
)";

}  // namespace

TEST_CASE("a complete policy loads with every field", "[policy]") {
  Diagnostics diags;
  Policy p = load_policy(kPolicy, "hoist.yaml", diags);
  INFO(diags.format());
  REQUIRE(diags.empty());
  REQUIRE(p.environments.size() == 4);
  CHECK(p.image == "registry.example.com/shop/{app}");
  CHECK(p.image_at.tags == std::vector<std::string>{"values.image.tag"});
  CHECK(p.groups.at("sre") == std::vector<std::string>{"alice", "bob"});

  const Environment& prod = p.environment("prod");
  CHECK(prod.branch == "master");
  CHECK(prod.after == "staging");
  CHECK(prod.registry == "prod.example.com:5000");
  CHECK(prod.gate.approvals == 2);
  CHECK(prod.gate.approvers == std::vector<std::string>{"carol", "@sre"});
  CHECK_FALSE(prod.gate.self_approval);
  REQUIRE(prod.gate.freeze.size() == 2);
  CHECK(prod.gate.freeze[0].text() == "Fri 16:00 - Mon 08:00 +09:00");
  CHECK(prod.gate.freeze[0].offset_minutes() == 540);
  CHECK(prod.gate.approval_ttl == std::chrono::hours(12));
  CHECK(prod.gate.signed_approvals);
  CHECK(prod.gate.allowed_signers ==
        "alice ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\nbob ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB\n");
  CHECK(p.approvers_of(prod) == std::vector<std::string>{"alice", "bob", "carol"});

  const Environment& qa = p.environment("qa");
  CHECK(qa.gate.approvals == 0);
  CHECK(qa.gate.approval_ttl == std::chrono::hours(24));  // the default
  CHECK(qa.gate.freeze.empty());
  CHECK_FALSE(qa.gate.signed_approvals);
}

TEST_CASE("image_key defaults to image.tag and allowed_signers may be a list of lines", "[policy]") {
  Policy p = load_policy(R"(environments:
  prod:
    branch: main
    file: prod.yaml
    gate:
      signed: true
      allowed_signers: ["alice ssh-ed25519 AAAA1", "bob ssh-ed25519 AAAA2"]
)",
                         "hoist.yaml");
  CHECK(p.image_at.tags == std::vector<std::string>{"image.tag"});
  CHECK(p.environment("prod").gate.allowed_signers == "alice ssh-ed25519 AAAA1\nbob ssh-ed25519 AAAA2\n");
}

TEST_CASE("the promotion order follows 'after', not the order in the file", "[policy]") {
  Policy p = load_policy(kPolicy, "hoist.yaml");
  CHECK(p.promotion_order() == std::vector<std::string>{"dev", "qa", "staging", "prod"});
}

TEST_CASE("file_for and image_for fill in the app", "[policy]") {
  Policy p = load_policy(kPolicy, "hoist.yaml");
  CHECK(p.file_for("qa", "api-gateway") == "api-gateway/qa.values.yaml");
  CHECK(p.file_for("prod", "api-gateway") == "api-gateway/prod.values.yaml");
  CHECK(p.image_for("qa", "api-gateway") == "registry.example.com/shop/api-gateway");
  CHECK(p.image_for("prod", "api-gateway") == "prod.example.com:5000/shop/api-gateway");
}

TEST_CASE("an environment may override the repository or the whole image", "[policy]") {
  Policy p = load_policy(R"(environments:
  a: {branch: a, file: a.yaml}
  b: {branch: b, file: b.yaml, repository: "mirror/{app}"}
  c: {branch: c, file: c.yaml, image: "localhost:5000/{app}"}
  d: {branch: d, file: d.yaml, image: "{app}", registry: ghcr.io}
image: registry.example.com/shop/{app}
)",
                         "hoist.yaml");
  CHECK(p.image_for("a", "web") == "registry.example.com/shop/web");
  CHECK(p.image_for("b", "web") == "registry.example.com/mirror/web");
  CHECK(p.image_for("c", "web") == "localhost:5000/web");
  CHECK(p.image_for("d", "web") == "ghcr.io/web");
}

TEST_CASE("file_for refuses unknown environments and app names that are paths", "[policy]") {
  Policy p = load_policy(kPolicy, "hoist.yaml");
  CHECK_THROWS_WITH(p.file_for("prd", "api"),
                    "hoist.yaml has no environment 'prd' (did you mean 'prod'?); its environments: qa, dev, staging, prod");
  CHECK_THROWS_AS(p.file_for("prod", "../secrets"), InputError);
  CHECK_THROWS_AS(p.file_for("prod", "a/b"), InputError);
  CHECK_THROWS_AS(p.image_for("prod", ""), InputError);
}

TEST_CASE("image_for says when the policy names no image", "[policy]") {
  Policy p = load_policy("environments:\n  qa: {branch: qa, file: qa.yaml}\n", "hoist.yaml");
  CHECK_THROWS_WITH(p.image_for("qa", "web"),
                    "hoist.yaml names no image for environment 'qa' (set 'image' at the top or in it)");
}

TEST_CASE("identities map Bitbucket UUIDs with or without braces, in any case", "[policy]") {
  Policy p = load_policy(kPolicy, "hoist.yaml");
  CHECK(p.user_for("{123e4567-e89b-12d3-a456-426614174000}") == "alice");
  CHECK(p.user_for("{123E4567-E89B-12D3-A456-426614174000}") == "alice");
  CHECK(p.user_for("123e4567-e89b-12d3-a456-426614174000") == "alice");
  CHECK(p.user_for("{00000000-0000-0000-0000-000000000000}") == "{00000000-0000-0000-0000-000000000000}");
  CHECK(p.user_for("bob") == "bob");
}

TEST_CASE("identities other than UUIDs are matched exactly", "[policy]") {
  Policy p = load_policy("environments:\n  qa: {branch: qa, file: q}\nidentities: {Alice.Smith: alice}\n", "hoist.yaml");
  CHECK(p.user_for("Alice.Smith") == "alice");
  CHECK(p.user_for("alice.smith") == "alice.smith");
}
