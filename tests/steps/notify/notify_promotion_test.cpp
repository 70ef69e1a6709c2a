// on_promotion notifications: the message about a promotion, the policy's `notify: on_promotion:` checked with its
// places, `hoist promote` posting the policy's hooks and a pipeline's `promote` step posting the pipeline's, all
// against a real HTTP receiver on 127.0.0.1 and the real git server; payloads are parsed back field by field.
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>
#include <nlohmann/json.hpp>

#include "steps/notify/promotion_hooks.hpp"
#include "steps/gate/policy.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/slack_fields.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/webhook_receiver.hpp"

using namespace hoist;
using namespace hoist::test;
using nlohmann::json;

namespace {

constexpr const char* kHookPath = "/services/T0001/B0002/xoxPROMOTEsecret";

const std::string kPolicyWithHooks = std::string(kPromotePolicy) + R"(notify:
  on_promotion:
    - {webhook: "${PROMO_HOOK}/warn"}
    - webhook: ${PROMO_HOOK}/fail
      text: "${TEAM} shipped"
      on_error: fail
)";

json payload_of(const ReceivedRequest& r) { return json::parse(r.body); }

// A pipeline file with one step promoting api-gateway from qa to staging in `repo_url`, and the pipeline-level
// on_promotion hook posting to `${PROMO_HOOK}<hook_path>` when a path is given.
std::string promote_pipeline(const TempDir& dir, const std::string& repo_url,
                             const std::optional<std::string>& hook_path) {
  const std::string file = dir.file("ship.yaml");
  std::ofstream(file) << "version: 1\nname: ship\n"
                      << (hook_path ? "notify:\n  on_promotion:\n    - webhook: ${PROMO_HOOK}" + *hook_path + "\n" : "")
                      << "steps:\n  - id: to-staging\n    uses: promote\n"
                         "    with: {app: api-gateway, from: qa, to: staging, repo: \"" + repo_url + "\"}\n";
  return file;
}

}  // namespace

TEST_CASE("on_promotion: the message names service, environments, tag, digest, who, approvers, link and change",
          "[notify][promote]") {
  PromotionNotice n;
  n.app = "api-gateway";
  n.from = "staging";
  n.to = "prod";
  n.tag = "1.1.0";
  n.digest = kD1;
  n.who = "erin";
  n.approvers = {"alice", "bob"};
  n.pipeline_url = "https://gitlab.example.com/shop/api/-/pipelines/42";
  n.change = "image.tag: 1.0.0 -> 1.1.0";
  json p = slack_payload(promotion_message(n));
  CHECK(p["text"] == "api-gateway: staging → prod now runs 1.1.0 (" + kD1.substr(0, 19) + ")");
  CHECK(slack_field(p, "Service") == "api-gateway");
  CHECK(slack_field(p, "Environment") == "staging → prod");
  CHECK(slack_field(p, "Tag") == "1.1.0");
  CHECK(slack_field(p, "Digest") == kD1);
  CHECK(slack_field(p, "Who") == "erin");
  CHECK(slack_field(p, "Approvers") == "alice, bob");
  CHECK(slack_field(p, "Link") == "<https://gitlab.example.com/shop/api/-/pipelines/42>");
  CHECK(slack_code_block(p) == "image.tag: 1.0.0 -&gt; 1.1.0");

  n.from.clear();  // a rollback
  json rb = slack_payload(promotion_message(n, std::string("custom")));
  CHECK(rb["text"] == "custom");
  CHECK(slack_field(rb, "Environment") == "prod (rollback)");
  CHECK(promotion_message(n).text == "api-gateway: prod rolled back to 1.1.0 (" + kD1.substr(0, 19) + ")");
}

TEST_CASE("on_promotion: the policy's hooks load, and every problem is reported at its place", "[notify][policy]") {
  promote::Policy ok = promote::load_policy(kPolicyWithHooks, "hoist.yaml");
  REQUIRE(ok.on_promotion.size() == 2);
  CHECK(ok.on_promotion[0].webhook.value == "${PROMO_HOOK}/warn");
  CHECK(ok.on_promotion[0].on_error == OnError::warn);
  CHECK(ok.on_promotion[1].on_error == OnError::fail);
  CHECK(ok.on_promotion[1].text->value == "${TEAM} shipped");

  TempDir dir;
  const std::string bad = dir.file("hoist.yaml");
  std::ofstream(bad) << "environments:\n"
                        "  qa: {branch: qa, file: \"{app}/qa.values.yaml\"}\n"
                        "notify:\n"
                        "  on_promotion:\n"
                        "    - {webhook: \"https://hooks.slack.com/services/T/B/xoxLITERAL\"}\n"
                        "    - {webhook: \"${HOOK}\", on_error: sometimes, txt: hi}\n"
                        "    - {text: no webhook}\n"
                        "  on_success: []\n";
  HoistRun r = run_hoist({"validate", "--policy", bad});
  INFO(r.out << r.err);
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("hoist.yaml:5:17: a webhook in the policy must come from a variable such as "
                                    "${SLACK_WEBHOOK_URL}"));
  CHECK_THAT(r.err, Catch::Contains("hoist.yaml:6:38: 'on_error' must be warn or fail, got 'sometimes'"));
  CHECK_THAT(r.err, Catch::Contains("hoist.yaml:6:49: unknown key 'txt'"));
  CHECK_THAT(r.err, Catch::Contains("hoist.yaml:7:7: notify hook has no 'webhook'"));
  CHECK_THAT(r.err, Catch::Contains("hoist.yaml:8:3: unknown key 'on_success'"));
  CHECK(r.all().find("xoxLITERAL") == std::string::npos);
}

TEST_CASE("on_promotion: hoist promote posts the policy's hooks, a failed one never undoes the promotion",
          "[notify][promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create("manifests", true, kPolicyWithHooks);
  WebhookReceiver receiver;
  const std::map<std::string, std::string> env{{"PROMO_HOOK", receiver.url(kHookPath)}, {"TEAM", "shop"}};

  HoistRun staging = hoist_as("erin", git, "manifests",
                              {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"}, env);
  INFO(staging.out << staging.err);
  REQUIRE(staging.code == 0);
  auto requests = receiver.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].path == std::string(kHookPath) + "/warn");
  CHECK(requests[1].path == std::string(kHookPath) + "/fail");
  json first = payload_of(requests[0]);
  CHECK(first["text"] == "api-gateway: qa → staging now runs 1.1.0 (" + kD1.substr(0, 19) + ")");
  CHECK(slack_field(first, "Service") == "api-gateway");
  CHECK(slack_field(first, "Environment") == "qa → staging");
  CHECK(slack_field(first, "Tag") == "1.1.0");
  CHECK(slack_field(first, "Digest") == kD1);
  CHECK(slack_field(first, "Who") == "erin");
  CHECK(slack_field(first, "Approvers") == "");  // staging has no gate
  CHECK(slack_code_block(first) == "image.tag: 1.0.0 -&gt; 1.1.0, digest " + kD0.substr(0, 19) + " -&gt; " + kD1.substr(0, 19));
  CHECK(payload_of(requests[1])["text"] == "shop shipped");
  CHECK_THAT(staging.out, Catch::Contains("[notify] ✓ on_promotion: posted to http://127.0.0.1/… (HTTP 200)"));
  CHECK(staging.all().find("xoxPROMOTEsecret") == std::string::npos);

  // Nothing moves the second time: nothing is posted.
  HoistRun again = hoist_as("erin", git, "manifests",
                            {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"}, env);
  INFO(again.out << again.err);
  CHECK(again.code == 0);
  CHECK(receiver.requests().size() == 2);

  // Into prod with two approvals, while the receiver fails: the warn hook warns, the fail hook makes exit 1, and
  // prod runs the new digest all the same.
  REQUIRE(hoist_as("alice", git, "manifests", {"approve", "api-gateway", "--env", "prod", "--yes"}).code == 0);
  REQUIRE(hoist_as("bob", git, "manifests", {"approve", "api-gateway", "--env", "prod", "--yes"}).code == 0);
  receiver.set_status(500);
  HoistRun prod = hoist_as("erin", git, "manifests",
                           {"promote", "api-gateway", "--from", "staging", "--to", "prod", "--yes"}, env);
  INFO(prod.out << prod.err);
  CHECK(prod.code == 1);
  CHECK(git.read_file("manifests", "master", "api-gateway/prod.values.yaml") == values("1.1.0", kD1));
  CHECK_THAT(prod.out, Catch::Contains("[notify] ✗ warning: on_promotion: notification to http://127.0.0.1/… failed: "
                                       "HTTP 500"));
  CHECK_THAT(prod.out, Catch::Contains("[notify] ✗ error: on_promotion: notification to http://127.0.0.1/… failed: "
                                       "HTTP 500 (on_error: fail)"));
  CHECK_THAT(prod.err, Catch::Contains("the promotion stands: prod runs 1.1.0"));
  requests = receiver.requests();
  REQUIRE(requests.size() == 4);
  json to_prod = payload_of(requests[2]);
  CHECK(slack_field(to_prod, "Environment") == "staging → prod");
  CHECK(slack_field(to_prod, "Approvers") == "alice, bob");
  CHECK(prod.all().find("xoxPROMOTEsecret") == std::string::npos);

  SECTION("without the variable the hook is a warning naming it, and the promotion is done") {
    receiver.set_status(200);
    servers.create("manifests2", true, kPromotePolicy + std::string("notify:\n  on_promotion:\n"
                                                                    "    - {webhook: \"${NOT_SET}\"}\n"));
    HoistRun r = hoist_as("erin", git, "manifests2",
                          {"promote", "api-gateway", "--from", "qa", "--to", "staging", "--yes"});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("warning: on_promotion:") && Catch::Contains("undefined variable 'NOT_SET'"));
    CHECK(git.read_file("manifests2", "staging", "api-gateway/staging.values.yaml") == values("1.1.0", kD1));
  }
}

TEST_CASE("on_promotion: a pipeline's promote step that moved an environment posts the pipeline's hooks",
          "[notify][promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create("manifests");
  WebhookReceiver receiver;
  TempDir dir;
  const std::string file = promote_pipeline(dir, git.url("manifests"), "");
  const std::map<std::string, std::string> env{{"PROMO_HOOK", receiver.url(kHookPath)},
                                               {"GITLAB_CI", "true"},
                                               {"CI_PIPELINE_URL", "https://gitlab.example.com/shop/api/-/pipelines/7"}};

  HoistRun plan = hoist_as("erin", git, "manifests", {"plan", file}, env);
  INFO(plan.out << plan.err);
  CHECK(plan.code == 0);
  CHECK(receiver.requests().empty());

  HoistRun run = hoist_as("erin", git, "manifests", {"run", file}, env);
  INFO(run.out << run.err);
  REQUIRE(run.code == 0);
  auto requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  json p = payload_of(requests[0]);
  CHECK(p["text"] == "api-gateway: qa → staging now runs 1.1.0 (" + kD1.substr(0, 19) + ")");
  CHECK(slack_field(p, "Environment") == "qa → staging");
  CHECK(slack_field(p, "Tag") == "1.1.0");
  CHECK(slack_field(p, "Digest") == kD1);
  CHECK(slack_field(p, "Who") == "erin");
  CHECK(slack_field(p, "Link") == "<https://gitlab.example.com/shop/api/-/pipelines/7>");
  CHECK_THAT(slack_code_block(p), Catch::StartsWith("image.tag: 1.0.0 -&gt; 1.1.0"));
  CHECK_THAT(run.out, Catch::Contains("[notify] ✓ on_promotion: posted to http://127.0.0.1/…"));
  CHECK_THAT(run.out, Catch::Contains("changed = true"));
  CHECK(run.all().find("xoxPROMOTEsecret") == std::string::npos);

  HoistRun again = hoist_as("erin", git, "manifests", {"run", file}, env);
  INFO(again.out << again.err);
  CHECK(again.code == 0);
  CHECK(receiver.requests().size() == 1);  // staging already ran it: nothing moved, nothing posted
}

TEST_CASE("on_promotion: a pipeline's promote step also posts the policy's hooks, on_error: fail fails the step only",
          "[notify][promote]") {
  PromoteServers servers;
  GitServer& git = servers.git;
  servers.create("manifests", true, kPolicyWithHooks);
  WebhookReceiver receiver;
  TempDir dir;
  const std::string file = promote_pipeline(dir, git.url("manifests"), "/pipeline");
  const std::map<std::string, std::string> env{{"PROMO_HOOK", receiver.url(kHookPath)}, {"TEAM", "shop"}};

  HoistRun run = hoist_as("erin", git, "manifests", {"run", file}, env);
  INFO(run.out << run.err);
  REQUIRE(run.code == 0);
  auto requests = receiver.requests();
  REQUIRE(requests.size() == 3);  // the policy's two during the step, the pipeline's after the run
  CHECK(requests[0].path == std::string(kHookPath) + "/warn");
  CHECK(requests[1].path == std::string(kHookPath) + "/fail");
  CHECK(requests[2].path == std::string(kHookPath) + "/pipeline");
  CHECK(payload_of(requests[0])["text"] == "api-gateway: qa → staging now runs 1.1.0 (" + kD1.substr(0, 19) + ")");
  CHECK(payload_of(requests[1])["text"] == "shop shipped");
  CHECK(slack_field(payload_of(requests[2]), "Environment") == "qa → staging");
  CHECK_THAT(run.out, Catch::Contains("notify: on_promotion: posted to http://127.0.0.1/… (HTTP 200)"));
  CHECK(run.all().find("xoxPROMOTEsecret") == std::string::npos);

  // The receiver fails: the policy's on_error: fail hook fails the step, and staging keeps the new digest.
  servers.create("manifests2", true, kPolicyWithHooks);
  promote_pipeline(dir, git.url("manifests2"), std::nullopt);
  receiver.set_status(500);
  HoistRun failing = hoist_as("erin", git, "manifests2", {"run", file}, env);
  INFO(failing.out << failing.err);
  CHECK(failing.code == 1);
  CHECK_THAT(failing.all(), Catch::Contains("notify: warning: on_promotion: notification to http://127.0.0.1/… "
                                            "failed: HTTP 500"));
  CHECK_THAT(failing.all(), Catch::Contains("the promotion stands: staging runs 1.1.0"));
  CHECK(git.read_file("manifests2", "staging", "api-gateway/staging.values.yaml") == values("1.1.0", kD1));
  CHECK(failing.all().find("xoxPROMOTEsecret") == std::string::npos);
}
