// Notifications end to end: the `notify` step and the pipeline-level `notify:` hooks, run by the hoist binary
// against a real HTTP receiver on 127.0.0.1; the payloads are parsed back and the webhook URL is looked for in
// everything Hoist printed.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "steps/notify/slack_payload.hpp"
#include "steps/notify/webhook.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/slack_fields.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/webhook_receiver.hpp"

using namespace hoist;
using nlohmann::json;

namespace {

constexpr const char* kToken = "xoxTOKENsecret123";
constexpr const char* kTokenPath = "/services/T0001/B0002/xoxTOKENsecret123";

using test::HoistRun;

// The hoist binary as a GitLab job runs it, with `webhook` in $SLACK_WEBHOOK_URL.
HoistRun hoist_run(const std::vector<std::string>& args, const std::string& webhook) {
  test::add_secret("webhook token", kToken);  // the suite-wide leak check looks for it in everything the test left
  return test::run_hoist(args, {{"GITLAB_CI", "true"},
                                {"GITLAB_USER_LOGIN", "alice"},
                                {"CI_PIPELINE_URL", "https://gitlab.example.com/shop/api/-/pipelines/42"},
                                {"CI_COMMIT_SHA", "0123456789abcdef0123456789abcdef01234567"},
                                {"SLACK_WEBHOOK_URL", webhook}},
                         HOIST_SOURCE_DIR, std::chrono::seconds(60));
}

std::string write(const test::TempDir& dir, const std::string& text) {
  auto path = dir.file("pipeline.yaml");
  std::ofstream(path) << text;
  return path;
}

std::string field(const json& payload, const std::string& label) { return test::slack_field(payload, label); }

const std::string kStepPipeline = R"(version: 1
name: api-gateway
steps:
  - id: build
    run: echo "digest=sha256:feedface" >> "$HOIST_OUTPUT"
  - id: announce
    uses: notify
    needs: [build]
    with:
      webhook: ${SLACK_WEBHOOK_URL}
      text: "api-gateway ${COMMIT_SHORT_SHA} is on qa <now>"
      fields:
        service: api-gateway
        environment: qa
        tag: ${COMMIT_SHORT_SHA}
        digest: ${steps.build.digest}
        diff: "image.tag: 11111111 -> 01234567"
)";

}  // namespace

TEST_CASE("notify: the step posts a Slack payload with text, blocks and fields", "[notify]") {
  test::WebhookReceiver receiver;
  test::TempDir dir;
  HoistRun r = hoist_run({"run", write(dir, kStepPipeline)}, receiver.url(kTokenPath));
  INFO(r.all());
  REQUIRE(r.code == 0);
  auto requests = receiver.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].path == kTokenPath);
  CHECK(requests[0].content_type.rfind("application/json", 0) == 0);
  json payload = json::parse(requests[0].body);
  CHECK(payload["text"] == "api-gateway 01234567 is on qa <now>");
  REQUIRE(payload["blocks"].is_array());
  REQUIRE(payload["blocks"].size() == 3);
  CHECK(payload["blocks"][0]["type"] == "section");
  CHECK(payload["blocks"][0]["text"]["text"] == "api-gateway 01234567 is on qa &lt;now&gt;");
  CHECK(field(payload, "Service") == "api-gateway");
  CHECK(field(payload, "Environment") == "qa");
  CHECK(field(payload, "Tag") == "01234567");
  CHECK(field(payload, "Digest") == "sha256:feedface");
  CHECK(field(payload, "Who") == "alice");
  CHECK(field(payload, "Link") == "<https://gitlab.example.com/shop/api/-/pipelines/42>");
  CHECK(payload["blocks"][2]["text"]["text"] == "```image.tag: 11111111 -&gt; 01234567```");
  CHECK(r.out.find("notified http://127.0.0.1/… (HTTP 200)") != std::string::npos);
  CHECK(r.all().find("xoxTOKENsecret123") == std::string::npos);
}

TEST_CASE("notify: a receiver answering 500 is a warning, with on_error: fail the step fails", "[notify]") {
  test::WebhookReceiver receiver(500);
  test::TempDir dir;
  const std::string url = receiver.url(kTokenPath);

  SECTION("warn (the default): a warning line, exit code 0") {
    HoistRun r = hoist_run({"run", write(dir, kStepPipeline)}, url);
    INFO(r.all());
    CHECK(r.code == 0);
    CHECK(r.all().find("warning: notification to http://127.0.0.1/… failed: HTTP 500") != std::string::npos);
    CHECK(r.all().find("xoxTOKENsecret123") == std::string::npos);
    CHECK(r.all().find("127.0.0.1:") == std::string::npos);  // not even the port
  }
  SECTION("fail: the step fails, exit code 1, the message names only the host") {
    std::string text = kStepPipeline;
    text.replace(text.find("      fields:"), 0, "      on_error: fail\n");
    test::TempDir junit_dir;
    HoistRun r = hoist_run({"run", write(dir, text), "--output", "json"}, url);
    INFO(r.all());
    CHECK(r.code == 1);
    bool found = false;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      json e = json::parse(line);
      if (e["event"] == "step_finished" && e["step"] == "announce") {
        found = true;
        CHECK(e["status"] == "failed");
        CHECK(e["reason"] == "notification to http://127.0.0.1/… failed: HTTP 500");
      }
    }
    CHECK(found);
    CHECK(r.all().find("xoxTOKENsecret123") == std::string::npos);
  }
  CHECK(receiver.requests().size() == 1);
}

TEST_CASE("notify: an unreachable webhook is reported without its URL", "[notify]") {
  // A port nobody listens on: take one from a receiver and close it again.
  std::string url;
  {
    test::WebhookReceiver gone;
    url = gone.url(kTokenPath);
  }
  test::TempDir dir;
  HoistRun r = hoist_run({"run", write(dir, kStepPipeline)}, url);
  INFO(r.all());
  CHECK(r.code == 0);
  CHECK(r.all().find("warning: notification to http://127.0.0.1/… failed: cannot reach http://127.0.0.1/…") !=
        std::string::npos);
  CHECK(r.all().find("xoxTOKENsecret123") == std::string::npos);
}

namespace {

const std::string kHookPipeline = R"(version: 1
name: api-gateway
notify:
  on_success:
    - webhook: ${SLACK_WEBHOOK_URL}/success
      text: "deployed ${steps.build.tag}"
  on_failure:
    - webhook: ${SLACK_WEBHOOK_URL}/failure
  on_promotion: []
steps:
  - id: build
    run: echo "tag=v1.2.3" >> "$HOIST_OUTPUT"
  - id: test
    needs: [build]
    run: exit ${TEST_EXIT}
)";

}  // namespace

TEST_CASE("notify: pipeline-level hooks fire on success and on failure with the run summary", "[notify]") {
  test::WebhookReceiver receiver;
  test::TempDir dir;
  const std::string file = write(dir, kHookPipeline);

  SECTION("success") {
    HoistRun r = hoist_run({"run", file, "--var", "TEST_EXIT=0"}, receiver.url(kTokenPath));
    INFO(r.all());
    CHECK(r.code == 0);
    auto requests = receiver.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].path == std::string(kTokenPath) + "/success");
    json payload = json::parse(requests[0].body);
    CHECK(payload["text"] == "deployed v1.2.3");
    CHECK(field(payload, "Pipeline") == "api-gateway");
    CHECK(field(payload, "Status") == "succeeded");
    CHECK(field(payload, "Failed steps") == "");
    CHECK(!field(payload, "Duration").empty());
    CHECK(field(payload, "Who") == "alice");
    CHECK(r.out.find("[notify] ✓ on_success: posted to http://127.0.0.1/… (HTTP 200)") != std::string::npos);
    CHECK(r.all().find("xoxTOKENsecret123") == std::string::npos);
  }
  SECTION("failure") {
    HoistRun r = hoist_run({"run", file, "--var", "TEST_EXIT=3"}, receiver.url(kTokenPath));
    INFO(r.all());
    CHECK(r.code == 1);
    auto requests = receiver.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].path == std::string(kTokenPath) + "/failure");
    json payload = json::parse(requests[0].body);
    std::string text = payload["text"];
    CHECK(text.rfind("pipeline api-gateway failed (failed: test) in ", 0) == 0);
    CHECK(field(payload, "Status") == "failed");
    CHECK(field(payload, "Failed steps") == "test");
    CHECK(r.all().find("xoxTOKENsecret123") == std::string::npos);
  }
}

TEST_CASE("notify: a failing hook warns and keeps the exit code, unless on_error: fail", "[notify]") {
  test::WebhookReceiver receiver(500);
  test::TempDir dir;
  std::string text = kHookPipeline;

  SECTION("warn") {
    HoistRun r = hoist_run({"run", write(dir, text), "--var", "TEST_EXIT=0", "--output", "json"}, receiver.url(kTokenPath));
    INFO(r.all());
    CHECK(r.code == 0);
    json last = json::parse(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1));
    CHECK(last["event"] == "notification");
    CHECK(last["hook"] == "on_success");
    CHECK(last["ok"] == false);
    CHECK(last["http_status"] == 500);
    CHECK(last["fails_run"] == false);
    CHECK(last["reason"] == "notification to http://127.0.0.1/… failed: HTTP 500");
    CHECK(r.all().find("xoxTOKENsecret123") == std::string::npos);
  }
  SECTION("fail") {
    text.replace(text.find("      text: \"deployed"), 0, "      on_error: fail\n");
    HoistRun r = hoist_run({"run", write(dir, text), "--var", "TEST_EXIT=0"}, receiver.url(kTokenPath));
    INFO(r.all());
    CHECK(r.code == 1);
    CHECK(r.out.find("error: on_success: notification to http://127.0.0.1/… failed: HTTP 500 (on_error: fail)") !=
          std::string::npos);
  }
  CHECK(receiver.requests().size() == 1);
}

TEST_CASE("notify: hoist plan posts nothing", "[notify]") {
  test::WebhookReceiver receiver;
  test::TempDir dir;
  HoistRun r = hoist_run({"plan", write(dir, kStepPipeline)}, receiver.url(kTokenPath));
  INFO(r.all());
  CHECK(r.code == 0);
  CHECK(r.out.find("would post to http://127.0.0.1/…: api-gateway 01234567 is on qa <now>") != std::string::npos);
  CHECK(receiver.requests().empty());
}

TEST_CASE("notify: hoist validate reports every problem of notify steps and hooks with its place", "[notify]") {
  test::TempDir dir;
  const std::string file = write(dir, R"(version: 1
name: x
notify:
  on_sucess:
    - webhook: ${SLACK_WEBHOOK_URL}
  on_failure:
    - text: no webhook
    - webhook: hooks.slack.com/services/T/B/secretpart
      on_error: explode
  on_promotion: {webhook: x}
steps:
  - id: a
    uses: notify
    with:
      webhook: ${SLACK_WEBHOOK_URL}
      on_error: later
      fields: {service: s, colour: red}
)");
  test::add_secret("webhook token", "secretpart");
  test::add_secret_input(file);  // holds it on purpose
  HoistRun r = hoist_run({"validate", file}, "https://hooks.example.com/x");
  CHECK(r.code == 2);
  const std::string e = "hoist: error: " + file;
  CHECK(r.err == e + ":4:3: unknown key 'on_sucess' in notify (did you mean 'on_success'?)\n" +
                     e + ":7:7: notify hook has no 'webhook'\n" +
                     e + ":8:16: 'webhook' must be an http(s) URL, or a variable holding one such as "
                         "${SLACK_WEBHOOK_URL}\n" +
                     e + ":9:17: 'on_error' must be warn or fail, got 'explode'\n" +
                     e + ":10:17: 'on_promotion' must be a list of {webhook, text} hooks, got a mapping\n" +
                     e + ":15:7: notify needs 'text'\n" +
                     e + ":16:17: 'on_error' must be warn or fail, got 'later'\n" +
                     e + ":17:28: unknown key 'colour' in notify's fields\n");
  CHECK(r.err.find("secretpart") == std::string::npos);
}

TEST_CASE("notify: webhook_display keeps only scheme and host", "[notify]") {
  CHECK(webhook_display("https://hooks.slack.com/services/T0/B0/xyz") == "https://hooks.slack.com/…");
  CHECK(webhook_display("https://user:pw@chat.example.com:8443/hooks/abc?token=1") == "https://chat.example.com/…");
  CHECK(webhook_display("http://[::1]:8080/x") == "http://[::1]/…");
  CHECK(webhook_display("hooks.slack.com/services/x") == "(invalid URL)");
}

TEST_CASE("notify: variables used in a webhook are masked in everything Hoist prints", "[notify]") {
  test::WebhookReceiver receiver;
  test::TempDir dir;
  const std::string file = write(dir, R"(version: 1
name: leaky
notify:
  on_success:
    - webhook: ${SLACK_WEBHOOK_URL}
steps:
  - id: echo
    run: echo "the hook is $SLACK_WEBHOOK_URL"
)");
  HoistRun r = hoist_run({"run", file, "--output", "json"}, receiver.url(kTokenPath));
  INFO(r.all());
  CHECK(r.code == 0);
  CHECK(r.out.find("the hook is ********") != std::string::npos);
  CHECK(r.all().find("xoxTOKENsecret123") == std::string::npos);
  CHECK(receiver.requests().size() == 1);
}
