// hoist.yaml problems: each kind reported at its exact hoist.yaml:line:col, and all of them at once.
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/gate/policy.hpp"
#include "tests/support/gate_fixtures.hpp"

using namespace hoist;
using namespace hoist::promote;

using hoist::test::policy_problems;

TEST_CASE("policy: an unknown key is reported with a suggestion", "[policy]") {
  CHECK(policy_problems(R"(environments:
  prod:
    branch: main
    file: p.yaml
    gate:
      aprovals: 2
    afterr: qa
imag: x
)") == "hoist.yaml:6:7: unknown key 'aprovals' in the gate of 'prod' (did you mean 'approvals'?)\n"
       "hoist.yaml:7:5: unknown key 'afterr' in environment 'prod' (did you mean 'after'?)\n"
       "hoist.yaml:8:1: unknown key 'imag' in the policy (did you mean 'image'?)\n");
}

TEST_CASE("policy: values of the wrong type are reported at the value", "[policy]") {
  CHECK(policy_problems(R"(environments:
  prod:
    branch: [main]
    file: p.yaml
    gate:
      approvals: two
      self_approval: maybe
      approval_ttl: 1 day
      approvers: alice
groups: [sre]
)") == "hoist.yaml:3:13: 'branch' must be a string, got a sequence\n"
       "hoist.yaml:6:18: 'approvals' must be an integer, got 'two'\n"
       "hoist.yaml:7:22: 'self_approval' must be true or false, got 'maybe'\n"
       "hoist.yaml:8:21: 'approval_ttl' must be a duration of at least 1s, like 24h or 90m, got '1 day'\n"
       "hoist.yaml:9:18: 'approvers' must be a list of strings, got a string\n"
       "hoist.yaml:10:9: 'groups' must be a mapping, got a sequence\n");
}

TEST_CASE("policy: a negative approval count is refused", "[policy]") {
  CHECK(policy_problems("environments:\n  prod: {branch: m, file: p, gate: {approvals: -1}}\n") ==
        "hoist.yaml:2:48: 'approvals' must be between 0 and 1000, got -1\n");
}

TEST_CASE("policy: an environment without branch or file is reported at the environment", "[policy]") {
  CHECK(policy_problems("environments:\n  qa: {file: qa.yaml}\n  prod:\n    branch: master\n") ==
        "hoist.yaml:2:7: environment 'qa' needs 'branch'\n"
        "hoist.yaml:4:5: environment 'prod' needs 'file'\n");
}

TEST_CASE("policy: 'after' naming an unknown environment is reported with a suggestion", "[policy]") {
  CHECK(policy_problems(R"(environments:
  staging: {branch: staging, file: s.yaml}
  prod: {branch: master, file: p.yaml, after: stagin}
)") == "hoist.yaml:3:47: 'after' names unknown environment 'stagin' (did you mean 'staging'?)\n");
}

TEST_CASE("policy: a cycle in 'after' is reported once, naming its environments", "[policy]") {
  CHECK(policy_problems(R"(environments:
  dev: {branch: dev, file: d.yaml}
  qa: {branch: qa, file: q.yaml, after: prod}
  staging: {branch: staging, file: s.yaml, after: qa}
  prod: {branch: master, file: p.yaml, after: staging}
  self: {branch: self, file: x.yaml, after: self}
)") == "hoist.yaml:3:41: 'after' forms a cycle: 'qa' -> 'prod' -> 'staging' -> 'qa'\n"
       "hoist.yaml:6:45: environment 'self' cannot come after itself\n");
}

TEST_CASE("policy: a bad freeze window names the column of the problem inside the string", "[policy]") {
  CHECK(policy_problems(R"(environments:
  prod:
    branch: master
    file: p.yaml
    gate:
      freeze: ["Fri 16:00 - Mon 8:00 +09:00", "Fry 16:00 - Mon 08:00 +09:00"]
  qa:
    branch: qa
    file: q.yaml
    gate:
      freeze:
        - Fri 16:00 - Mon 08:00
        - Sat 10:00 - Sat 10:00 +01:00
        - Sat 25:00 - Sun 10:00 +01:00
        - Sat 10:00 - Sun 10:00 +01:00 weekly
)") == "hoist.yaml:6:33: bad freeze window 'Fri 16:00 - Mon 8:00 +09:00': expected a time as HH:MM, got '8:00'\n"
       "hoist.yaml:6:48: bad freeze window 'Fry 16:00 - Mon 08:00 +09:00': expected a weekday (Mon, Tue, Wed, Thu, "
       "Fri, Sat, Sun), got 'Fry' (did you mean 'Fri'?)\n"
       "hoist.yaml:12:32: bad freeze window 'Fri 16:00 - Mon 08:00': expected a UTC offset (+HH:MM, -HH:MM or Z), "
       "got nothing\n"
       "hoist.yaml:13:11: bad freeze window 'Sat 10:00 - Sat 10:00 +01:00': the window starts where it ends\n"
       "hoist.yaml:14:15: bad freeze window 'Sat 25:00 - Sun 10:00 +01:00': hour 25 is out of range (00-23)\n"
       "hoist.yaml:15:40: bad freeze window 'Sat 10:00 - Sun 10:00 +01:00 weekly': unexpected 'weekly' after the "
       "UTC offset\n");
}

TEST_CASE("policy: more approvals than people who may approve is refused", "[policy]") {
  CHECK(policy_problems(R"(environments:
  prod:
    branch: master
    file: p.yaml
    gate:
      approvals: 4
      approvers: [alice, "@sre", bob]
  staging:
    branch: staging
    file: s.yaml
    gate: {approvals: 1}
groups:
  sre: [bob, carol]
)") == "hoist.yaml:6:18: the gate of 'prod' needs 4 approvals but only 3 people may approve (alice, bob, carol)\n"
       "hoist.yaml:11:23: the gate of 'staging' needs 1 approvals but names no 'approvers'\n");
}

TEST_CASE("policy: an unknown group is reported with a suggestion", "[policy]") {
  CHECK(policy_problems(R"(environments:
  prod:
    branch: master
    file: p.yaml
    gate:
      approvals: 1
      approvers: [alice, "@ser"]
groups:
  sre: [bob, "@admins"]
)") == "hoist.yaml:7:26: unknown group '@ser' (did you mean '@sre'?)\n"
       "hoist.yaml:9:14: groups cannot contain groups: '@admins'\n");
}

TEST_CASE("policy: approvers without an approvals count is an error at the approvers", "[policy]") {
  CHECK(policy_problems("environments:\n  prod:\n    branch: m\n    file: p\n    gate:\n"
                 "      approvers: [alice, bob]\n      self_approval: false\n") ==
        "hoist.yaml:6:18: the gate of 'prod' names 'approvers' but no 'approvals' count, so it would need none: add "
        "'approvals: N' (or 'approvals: 0' to say so)\n");
  CHECK(policy_problems("environments:\n  prod:\n    branch: m\n    file: p\n    gate: {approvals: 0, approvers: [a]}\n")
            .empty());
}

TEST_CASE("policy: an unquoted @group gets a hint", "[policy]") {
  const std::string out = policy_problems("environments:\n  prod:\n    branch: m\n    file: p\n    gate:\n"
                                   "      approvers: [@sre]\n");
  CHECK(out.rfind("hoist.yaml:6:19: ", 0) == 0);
  CHECK(out.find("(a group name starting with '@' must be quoted: \"@sre\")") != std::string::npos);
}

TEST_CASE("policy: signed without allowed_signers is refused", "[policy]") {
  CHECK(policy_problems("environments:\n  prod:\n    branch: m\n    file: p\n    gate: {signed: true}\n") ==
        "hoist.yaml:5:20: the gate of 'prod' has 'signed: true' but no 'allowed_signers'\n");
}

TEST_CASE("policy: allowed_signers lines that are not principal, key type and key are refused", "[policy]") {
  CHECK(policy_problems(R"(environments:
  prod:
    branch: m
    file: p
    gate:
      signed: true
      allowed_signers: ["alice ssh-ed25519 AAAA", "bob AAAA"]
  qa:
    branch: q
    file: q
    gate:
      signed: true
      allowed_signers: |
        # the SRE keys
        alice namespaces="hoist-approval" ssh-ed25519 AAAA
        carol
)") == "hoist.yaml:7:51: 'allowed_signers' is not 'PRINCIPALS [OPTIONS] KEYTYPE KEY': 'bob AAAA'\n"
       "hoist.yaml:13:24: 'allowed_signers' line 3 is not 'PRINCIPALS [OPTIONS] KEYTYPE KEY': 'carol'\n");
}

TEST_CASE("policy: an empty or shapeless file is one clear problem", "[policy]") {
  CHECK(policy_problems("") == "hoist.yaml:1:1: the policy must be a mapping with 'environments', got null\n");
  CHECK(policy_problems("image: x\n") == "hoist.yaml:1:1: the policy has no 'environments'\n");
  CHECK(policy_problems("environments: {}\n") == "hoist.yaml:1:15: 'environments' is empty\n");
}

TEST_CASE("policy: duplicate environments are reported", "[policy]") {
  CHECK(policy_problems("environments:\n  qa: {branch: qa, file: q}\n  qa: {branch: qb, file: q}\n") ==
        "hoist.yaml:3:3: duplicate key 'qa' in environments (first at line 2)\n");
}

TEST_CASE("policy: the throwing loader carries every problem with exit code 2", "[policy]") {
  try {
    load_policy("environments:\n  qa: {branch: qa}\n  prod: {file: p, after: qq}\n", "hoist.yaml");
    FAIL("no error");
  } catch (const DiagnosticsError& e) {
    CHECK(e.code() == ExitCode::bad_input);
    CHECK(e.diagnostics().size() == 3);
    CHECK(std::string(e.what()) == "hoist.yaml:2:7: environment 'qa' needs 'file'\n"
                                   "hoist.yaml:3:9: environment 'prod' needs 'branch'\n"
                                   "hoist.yaml:3:26: 'after' names unknown environment 'qq' (did you mean 'qa'?)\n");
  }
}

TEST_CASE("policy: mistakes in image places are reported at their place", "[policy][shape]") {
  CHECK(policy_problems(R"(environments:
  qa: {branch: qa, file: f}
image_at:
  tag: "image..tag"
  digest: [image.digest]
  kustomize: "registry.example.com/shop/{app}:1.0"
  marker: "flux-system:web:tag"
  images: x
apps:
  web:
    file: {qa: w.yaml, prd: w.yaml}
    image_at: {digest: image.digest}
  billing:
    image_at: {}
  "bad/name": {file: x}
  api:
    files: x
    image_at: {ref: "cronjobs[0.image"}
  worker:
    image_at: {image: []}
)") == "hoist.yaml:4:15: image_at.tag: bad key path 'image..tag': empty key\n"
       "hoist.yaml:6:14: image_at.kustomize must be an image repository without tag or digest (like "
       "registry.example.com/shop/{app}), got 'registry.example.com/shop/{app}:1.0'\n"
       "hoist.yaml:7:11: image_at.marker must be a Flux image policy 'NAMESPACE:POLICY' (the file's markers say which "
       "part each value is), got 'flux-system:web:tag'\n"
       "hoist.yaml:8:3: unknown key 'images' in image_at (did you mean 'image'?)\n"
       "hoist.yaml:11:24: apps.web.file names unknown environment 'prd'\n"
       "hoist.yaml:12:15: apps.web.image_at names no place for the tag: give 'tag', 'ref', 'kustomize', 'image' or "
       "'marker'\n"
       "hoist.yaml:14:15: apps.billing.image_at names no place for the tag: give 'tag', 'ref', 'kustomize', 'image' "
       "or 'marker'\n"
       "hoist.yaml:15:3: 'bad/name' is not an app name or glob (letters, digits, '-', '_', '.', and '*' or '?')\n"
       "hoist.yaml:17:5: unknown key 'files' in apps.api (did you mean 'file'?)\n"
       "hoist.yaml:18:32: apps.api.image_at.ref: bad key path 'cronjobs[0.image': expected ']' after the index\n"
       "hoist.yaml:20:23: apps.worker.image_at.image must not be an empty list\n");
}

TEST_CASE("policy: image_key and image_at together, and a bad image_key, are refused", "[policy][shape]") {
  CHECK(policy_problems("environments:\n  qa: {branch: qa, file: f}\nimage_key: \"a[\"\nimage_at: {tag: image.tag}\n") ==
        "hoist.yaml:3:12: give 'image_at' or its short form 'image_key', not both\n"
        "hoist.yaml:3:15: image_key: bad key path 'a[': empty key\n");
}
