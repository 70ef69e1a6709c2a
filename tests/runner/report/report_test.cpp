// Reporters: the text, JSON lines, JUnit and dotenv formats read back, the hub's masking and output capture, and
// the essential security property: a secret printed by a step never reaches any report.

#include <catch2/catch.hpp>

#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/AutoPtr.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "runner/report/dotenv.hpp"
#include "runner/report/hub.hpp"
#include "runner/report/json.hpp"
#include "runner/report/junit.hpp"
#include "runner/report/text.hpp"
#include "runner/util/atomic_file.hpp"
#include "runner/util/errors.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace std::chrono_literals;
using hoist::test::read_file;
using hoist::test::TempDir;

namespace {

const std::string secret = "s3cr3t-Value-42";

Pipeline make_pipeline() {
  Pipeline p;
  p.file = "pipelines/api-gateway.yaml";
  p.name = "api-gateway";
  for (const char* id : {"test", "image", "deploy-qa", "lint"}) {
    Step s;
    s.id = id;
    s.kind = std::string(id) == "image" ? "image/build" : "run";
    s.run.value = "make " + s.id;
    p.steps.push_back(s);
  }
  // A secret written literally in the file must not reach reporters through the Step either.
  p.steps[0].env.push_back({"API_TOKEN", Text{secret, {}, false}});
  p.steps[1].with = YAML::Load("{image: registry.example/shop, password: " + secret + "}");
  return p;
}

StepResult result(const std::string& id, StepStatus status, std::string reason, int attempts,
                  std::chrono::milliseconds duration, std::map<std::string, std::string> outputs = {}) {
  StepResult r;
  r.id = id;
  r.kind = id == "image" ? "image/build" : "run";
  r.status = status;
  r.reason = std::move(reason);
  r.attempts = attempts;
  r.duration = duration;
  r.outputs = std::move(outputs);
  return r;
}

// What the executor would report for a run where `test` succeeds, `image` fails after a retry, `deploy-qa` is
// skipped and `lint` was left out by --only. The secret appears in output, outputs, reasons.
void run_scenario(Reporter& r, const Pipeline& p, Mode mode = Mode::apply) {
  const Step& test = p.steps[0];
  const Step& image = p.steps[1];
  r.pipeline_started(p, mode);
  r.step_started(test, 1);
  r.step_output(test, "running tests with " + secret, OutputStream::out);
  r.step_output(test, "ok", OutputStream::err);
  StepResult t = result("test", StepStatus::succeeded, "", 1, 1200ms,
                        {{"commit", "0123abcd"}, {"token", secret}, {"notes", "line one\nline two"}});
  r.step_finished(test, t);
  r.step_started(image, 1);
  r.step_output(image, "push failed: auth " + secret, OutputStream::err);
  r.step_retrying(image, 2, "registry said " + secret, 2000ms);
  r.step_started(image, 2);
  r.step_output(image, "\x1b[31merror\x1b[0m <bad> & \"q\" \x01 \xff end", OutputStream::out);
  StepResult i = result("image", StepStatus::failed, "command exited with code 3 (" + secret + ")", 2, 300ms,
                        {{"digest", "sha256:feed"}});
  r.step_finished(image, i);
  StepResult d = result("deploy-qa", StepStatus::skipped, "needed step 'image' failed", 0, 0ms);
  r.step_finished(p.steps[2], d);
  StepResult l = result("lint", StepStatus::not_selected, "", 0, 0ms);
  r.step_finished(p.steps[3], l);
  RunSummary summary;
  summary.pipeline = p.name;
  summary.file = p.file;
  summary.mode = mode;
  summary.steps = {t, i, d, l};
  summary.duration = 4200ms;
  r.pipeline_finished(summary);
}

SecretMasker masker_with_secret() {
  SecretMasker m;
  m.add(secret);
  return m;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool has_line(const std::string& text, const std::string& line) {
  auto lines = lines_of(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// Records every call; checks that calls never overlap.
class HubSpy : public Reporter {
 public:
  std::vector<std::string> events;
  std::vector<StepResult> finished;
  RunSummary summary;
  std::atomic<int> inside{0};
  bool overlapped = false;
  bool throw_on_finish = false;

  void enter() {
    if (inside.fetch_add(1) != 0) overlapped = true;
    std::this_thread::yield();
  }
  void leave() { inside.fetch_sub(1); }

  void pipeline_started(const Pipeline& p, Mode) override { events.push_back("pipeline_started " + p.name); }
  void step_started(const Step& s, int attempt) override {
    events.push_back("step_started " + s.id + " " + std::to_string(attempt));
  }
  void step_output(const Step& s, std::string_view line, OutputStream) override {
    enter();
    events.push_back("step_output " + s.id + " " + std::string(line));
    leave();
  }
  void step_finished(const Step& s, const StepResult& r) override {
    events.push_back("step_finished " + s.id);
    finished.push_back(r);
    if (throw_on_finish) throw Error("reporter broke");
  }
  void pipeline_finished(const RunSummary& s) override { summary = s; }
};

}  // namespace

TEST_CASE("status names and the run's verdict", "[report]") {
  CHECK(std::string(to_string(StepStatus::succeeded)) == "succeeded");
  CHECK(std::string(to_string(StepStatus::not_selected)) == "not_selected");
  CHECK(std::string(to_string(StepStatus::cancelled)) == "cancelled");
  RunSummary s;
  CHECK(s.ok());
  s.steps = {result("a", StepStatus::succeeded, "", 1, 1ms), result("b", StepStatus::skipped, "", 0, 0ms),
             result("c", StepStatus::not_selected, "", 0, 0ms)};
  CHECK(s.ok());
  s.interrupted = true;
  CHECK_FALSE(s.ok());
  s.interrupted = false;
  s.steps.push_back(result("d", StepStatus::cancelled, "", 1, 1ms));
  CHECK_FALSE(s.ok());
  s.steps.back().status = StepStatus::failed;
  CHECK_FALSE(s.ok());
}

TEST_CASE("plain text: one line per event, a table and a count line", "[report]") {
  Pipeline p = make_pipeline();
  std::ostringstream out;
  ReporterHub hub(masker_with_secret());
  hub.add(std::make_unique<TextReporter>(out, TextStyle::plain));
  run_scenario(hub, p);
  std::string text = out.str();
  INFO(text);
  CHECK(lines_of(text).front() == "Running pipeline api-gateway: 4 steps from pipelines/api-gateway.yaml");
  CHECK(has_line(text, "[test] ▶ started"));
  CHECK(has_line(text, "[test] running tests with ********"));
  CHECK(has_line(text, "[test] ✓ succeeded in 1.2s"));
  CHECK(has_line(text, "[test] → commit = 0123abcd"));
  CHECK(has_line(text, "[test] → token = ********"));
  CHECK(has_line(text, "[test] → notes = line one"));
  CHECK(has_line(text, "[test]   line two"));  // multi-line values keep the prefix
  CHECK(has_line(text, "[image] ↻ retrying in 2s (attempt 2): registry said ********"));
  CHECK(has_line(text, "[image] ▶ attempt 2 started"));
  CHECK(has_line(text, "[image] ✗ failed in 300ms after 2 attempts: command exited with code 3 (********)"));
  CHECK(has_line(text, "[deploy-qa] – skipped: needed step 'image' failed"));
  CHECK(has_line(text, "[lint] – not selected"));
  CHECK(has_line(text, "STEP       STATUS        DURATION  ATTEMPTS"));
  CHECK(has_line(text, "test       succeeded     1.2s      1"));
  CHECK(has_line(text, "image      failed        300ms     2"));
  CHECK(has_line(text, "deploy-qa  skipped       -         0"));
  CHECK(has_line(text, "lint       not selected  -         0"));
  CHECK(lines_of(text).back() == "pipeline api-gateway: 1 succeeded, 1 failed, 1 skipped, 1 not selected in 4.2s");
  CHECK(text.find("[image] \x1b[31merror") != std::string::npos);  // a step's own colours are passed through
  CHECK(text.find("\033[1m") == std::string::npos);                   // but plain adds no colour of its own
}

TEST_CASE("plan mode says so", "[report]") {
  Pipeline p = make_pipeline();
  std::ostringstream out;
  TextReporter text(out, TextStyle::plain);
  run_scenario(text, p, Mode::plan);
  INFO(out.str());
  CHECK(lines_of(out.str()).front() ==
        "Plan for pipeline api-gateway (nothing will be changed): 4 steps from pipelines/api-gateway.yaml");
  CHECK(has_line(out.str(), "[test] ▶ planning"));
  CHECK(has_line(out.str(), "[test] ✓ planned in 1.2s"));
  CHECK(lines_of(out.str()).back() ==
        "plan for pipeline api-gateway: 1 succeeded, 1 failed, 1 skipped, 1 not selected in 4.2s (nothing was changed)");
}

TEST_CASE("tty text: colour and a status symbol per step", "[report]") {
  Pipeline p = make_pipeline();
  std::ostringstream out;
  TextReporter text(out, TextStyle::tty);
  run_scenario(text, p);
  std::string s = out.str();
  CHECK(s.find("\033[32m✓ test\033[0m succeeded in 1.2s") != std::string::npos);
  CHECK(s.find("\033[31m✗ image\033[0m failed in 300ms") != std::string::npos);
  CHECK(s.find("\033[90m– deploy-qa\033[0m skipped") != std::string::npos);
  CHECK(s.find("[test]") == std::string::npos);
  CHECK(s.find("pipeline api-gateway: 1 succeeded, 1 failed") != std::string::npos);

  CHECK(choose_text_style(true, {}) == TextStyle::tty);
  CHECK(choose_text_style(false, {}) == TextStyle::plain);
  CHECK(choose_text_style(true, {{"CI", "true"}}) == TextStyle::plain);
  CHECK(choose_text_style(true, {{"NO_COLOR", "1"}}) == TextStyle::tty_no_colour);
  CHECK(choose_text_style(true, {{"TERM", "dumb"}}) == TextStyle::plain);
  CHECK(choose_text_style(true, {{"TERM", "xterm-256color"}}) == TextStyle::tty);
  CHECK(choose_text_style(true, {{"CI", ""}}) == TextStyle::tty);
}

TEST_CASE("JSON lines: one parseable object per event", "[report]") {
  Pipeline p = make_pipeline();
  std::ostringstream out;
  auto fixed = [] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(1767323045678)); };
  ReporterHub hub(masker_with_secret());
  hub.add(std::make_unique<JsonLinesReporter>(out, fixed));
  run_scenario(hub, p);

  std::vector<nlohmann::json> events;
  for (const auto& line : lines_of(out.str())) events.push_back(nlohmann::json::parse(line));
  REQUIRE(events.size() == 14);
  for (const auto& e : events) CHECK(e["time"] == "2026-01-02T03:04:05.678Z");
  CHECK(lines_of(out.str())[1].rfind("{\"event\":\"step_started\",\"step\":\"test\",\"attempt\":1,", 0) == 0);

  CHECK(events[0]["event"] == "pipeline_started");
  CHECK(events[0]["mode"] == "apply");
  CHECK(events[0]["steps"] == nlohmann::json::array({"test", "image", "deploy-qa", "lint"}));
  CHECK(events[2]["event"] == "step_output");
  CHECK(events[2]["stream"] == "stdout");
  CHECK(events[2]["line"] == "running tests with ********");
  CHECK(events[3]["stream"] == "stderr");
  const auto& test_done = events[4];
  CHECK(test_done["event"] == "step_finished");
  CHECK(test_done["status"] == "succeeded");
  CHECK(test_done["duration_ms"] == 1200);
  CHECK(test_done["attempts"] == 1);
  CHECK(test_done["outputs"]["commit"] == "0123abcd");
  CHECK(test_done["outputs"]["token"] == "********");
  CHECK(events[7]["event"] == "step_retrying");
  CHECK(events[7]["delay_ms"] == 2000);
  CHECK(events[7]["attempt"] == 2);
  CHECK(events[7]["reason"] == "registry said ********");
  // Invalid UTF-8 from a program becomes U+FFFD instead of breaking the stream.
  CHECK(events[9]["line"].get<std::string>().find("\xEF\xBF\xBD end") != std::string::npos);
  CHECK(events[10]["status"] == "failed");
  CHECK(events[10]["reason"] == "command exited with code 3 (********)");
  const auto& done = events[13];
  CHECK(done["event"] == "pipeline_finished");
  CHECK(done["ok"] == false);
  CHECK(done["duration_ms"] == 4200);
  CHECK(done["counts"]["failed"] == 1);
  CHECK(done["counts"]["not_selected"] == 1);
  CHECK(done["steps"].size() == 4);
  CHECK(done["steps"][2]["reason"] == "needed step 'image' failed");
}

TEST_CASE("JUnit: a valid report GitLab can read", "[report]") {
  TempDir dir;
  const std::string path = dir / "junit.xml";
  Pipeline p = make_pipeline();
  ReporterHub hub(masker_with_secret());
  hub.add(std::make_unique<JunitReporter>(path));
  run_scenario(hub, p);

  const std::string xml = read_file(path);
  INFO(xml);
  Poco::XML::DOMParser parser;
  Poco::AutoPtr<Poco::XML::Document> doc = parser.parseString(xml);  // throws on invalid XML
  Poco::XML::Element* root = doc->documentElement();
  CHECK(root->nodeName() == "testsuites");
  Poco::AutoPtr<Poco::XML::NodeList> suites = doc->getElementsByTagName("testsuite");
  REQUIRE(suites->length() == 1);
  auto* suite = static_cast<Poco::XML::Element*>(suites->item(0));
  CHECK(suite->getAttribute("name") == "api-gateway");
  CHECK(suite->getAttribute("tests") == "4");
  CHECK(suite->getAttribute("failures") == "1");
  CHECK(suite->getAttribute("skipped") == "2");
  CHECK(suite->getAttribute("time") == "4.200");

  Poco::AutoPtr<Poco::XML::NodeList> cases = doc->getElementsByTagName("testcase");
  REQUIRE(cases->length() == 4);
  std::vector<std::string> names;
  for (unsigned long i = 0; i < cases->length(); ++i) {
    auto* c = static_cast<Poco::XML::Element*>(cases->item(i));
    names.push_back(c->getAttribute("name"));
    CHECK(c->getAttribute("classname") == "api-gateway");
  }
  CHECK(names == std::vector<std::string>{"test", "image", "deploy-qa", "lint"});
  auto* image = static_cast<Poco::XML::Element*>(cases->item(1));
  CHECK(image->getAttribute("time") == "0.300");
  Poco::XML::Element* failure = image->getChildElement("failure");
  REQUIRE(failure);
  CHECK(failure->getAttribute("message") == "command exited with code 3 (********)");
  Poco::XML::Element* out = image->getChildElement("system-out");
  REQUIRE(out);
  std::string image_out = out->innerText();
  CHECK(image_out.find("push failed: auth ********\n") != std::string::npos);
  CHECK(image_out.find("[hoist] retrying in 2s (attempt 2): registry said ********") != std::string::npos);
  CHECK(image_out.find("error <bad> & \"q\" \xEF\xBF\xBD \xEF\xBF\xBD end") != std::string::npos);  // no ESC, no \x01

  auto* test = static_cast<Poco::XML::Element*>(cases->item(0));
  CHECK_FALSE(test->getChildElement("failure"));
  REQUIRE(test->getChildElement("system-out"));
  CHECK(test->getChildElement("system-out")->innerText() == "running tests with ********\nok\n");
  auto* skipped = static_cast<Poco::XML::Element*>(cases->item(2))->getChildElement("skipped");
  REQUIRE(skipped);
  CHECK(skipped->getAttribute("message") == "needed step 'image' failed");
  CHECK(static_cast<Poco::XML::Element*>(cases->item(3))->getChildElement("skipped"));
}

TEST_CASE("XML escaping keeps what XML allows and nothing else", "[report]") {
  CHECK(xml_escape("a<b>&\"'", true) == "a&lt;b&gt;&amp;&quot;&apos;");
  CHECK(xml_escape("a<b>&\"'", false) == "a&lt;b&gt;&amp;\"'");
  CHECK(xml_escape("line\nnext\ttab", true) == "line&#10;next&#9;tab");
  CHECK(xml_escape("line\nnext", false) == "line\nnext");
  CHECK(xml_escape(std::string("nul\0here", 8), false) == "nul\xEF\xBF\xBDhere");
  CHECK(xml_escape("\x1b[1;31mred\x1b[0m", false) == "red");
  CHECK(xml_escape("caf\xC3\xA9 \xE2\x9C\x93", false) == "caf\xC3\xA9 \xE2\x9C\x93");  // valid UTF-8 kept
  CHECK(xml_escape("\xC0\xAF", false) == "\xEF\xBF\xBD\xEF\xBF\xBD");                   // overlong '/'
  CHECK(xml_escape("\xED\xA0\x80", false) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");   // a surrogate
  CHECK(xml_escape("\xEF\xBF\xBF", false) == "\xEF\xBF\xBD");                           // U+FFFF
}

TEST_CASE("dotenv: one NAME=value per output of each succeeded step", "[report]") {
  CHECK(dotenv_name("deploy-qa", "commit") == "DEPLOY_QA_COMMIT");
  CHECK(dotenv_name("image", "digest") == "IMAGE_DIGEST");
  CHECK(dotenv_name("x.y", "a b/ç") == "X_Y_A_B___");

  TempDir dir;
  const std::string path = dir / "build.env";
  std::vector<std::string> warnings;
  Pipeline p = make_pipeline();
  ReporterHub hub(masker_with_secret());
  hub.add(std::make_unique<DotenvReporter>(path, [&](const std::string& w) { warnings.push_back(w); }));
  run_scenario(hub, p);

  std::map<std::string, std::string> vars;
  for (const auto& line : lines_of(read_file(path))) {
    auto eq = line.find('=');
    REQUIRE(eq != std::string::npos);
    REQUIRE_FALSE(line.empty());
    vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  CHECK(vars == std::map<std::string, std::string>{{"TEST_COMMIT", "0123abcd"}, {"TEST_TOKEN", "********"}});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("TEST_NOTES") != std::string::npos);
  CHECK(warnings[0].find("line one") == std::string::npos);

  // Two outputs that map to the same name: the first wins, with a warning.
  RunSummary s;
  s.steps = {result("a-b", StepStatus::succeeded, "", 1, 1ms, {{"c", "1"}}),
             result("a", StepStatus::succeeded, "", 1, 1ms, {{"b_c", "2"}})};
  warnings.clear();
  CHECK(dotenv_text(s, [&](const std::string& w) { warnings.push_back(w); }) == "A_B_C=1\n");
  CHECK(warnings.size() == 1);
}

TEST_CASE("a secret printed by a step reaches no report", "[report][security]") {
  TempDir dir;
  Pipeline p = make_pipeline();
  std::ostringstream plain, tty, json;
  ReporterHub hub(masker_with_secret());
  hub.add(std::make_unique<TextReporter>(plain, TextStyle::plain));
  hub.add(std::make_unique<TextReporter>(tty, TextStyle::tty));
  hub.add(std::make_unique<JsonLinesReporter>(json));
  hub.add(std::make_unique<JunitReporter>(dir / "junit.xml"));
  hub.add(std::make_unique<DotenvReporter>(dir / "build.env", [](const std::string&) {}));
  auto recorder = std::make_unique<HubSpy>();
  HubSpy& rec = *recorder;
  hub.add(std::move(recorder));
  run_scenario(hub, p);

  std::map<std::string, std::string> reports = {{"plain", plain.str()},
                                                {"tty", tty.str()},
                                                {"json", json.str()},
                                                {"junit", read_file(dir / "junit.xml")},
                                                {"dotenv", read_file(dir / "build.env")}};
  for (const auto& [name, text] : reports) {
    INFO(name << ":\n" << text);
    CHECK(text.find(secret) == std::string::npos);
    CHECK(text.find("s3cr3t") == std::string::npos);
    CHECK(text.find("********") != std::string::npos);
  }
  for (const auto& e : rec.events) CHECK(e.find(secret) == std::string::npos);
  CHECK(rec.summary.steps.at(0).outputs.at("token") == "********");
  CHECK(rec.summary.steps.at(1).reason == "command exited with code 3 (********)");
}

TEST_CASE("the hub gives reporters masked Step copies", "[report][security]") {
  Pipeline p = make_pipeline();
  struct StepSpy : Reporter {
    std::vector<Step> seen;
    Pipeline pipeline;
    void pipeline_started(const Pipeline& pl, Mode) override { pipeline = pl; }
    void step_started(const Step& s, int) override { seen.push_back(s); }
  };
  auto spy = std::make_unique<StepSpy>();
  StepSpy& s = *spy;
  ReporterHub hub(masker_with_secret());
  hub.add(std::move(spy));
  hub.pipeline_started(p, Mode::apply);
  hub.step_started(p.steps[0], 1);
  hub.step_started(p.steps[1], 1);
  REQUIRE(s.seen.size() == 2);
  CHECK(s.seen[0].env.at(0).second.value == "********");
  CHECK(s.seen[1].with["password"].as<std::string>() == "********");
  CHECK(s.seen[1].with["image"].as<std::string>() == "registry.example/shop");
  CHECK(s.pipeline.steps[0].env.at(0).second.value == "********");
  // The pipeline itself is untouched.
  CHECK(p.steps[1].with["password"].as<std::string>() == secret);
  CHECK(p.steps[0].env.at(0).second.value == secret);
}

TEST_CASE("the hub fills output_lines, keeps the executor's, and masks late secrets", "[report]") {
  Pipeline p = make_pipeline();
  auto recorder = std::make_unique<HubSpy>();
  HubSpy& rec = *recorder;
  ReporterHub hub;
  hub.add(std::move(recorder));
  hub.pipeline_started(p, Mode::apply);
  hub.step_output(p.steps[0], "first", OutputStream::out);
  hub.step_output(p.steps[1], "other step", OutputStream::out);
  hub.add_secret("late-token");
  CHECK(hub.mask("x late-token y") == "x ******** y");
  hub.step_output(p.steps[0], "printed late-token", OutputStream::err);
  hub.step_finished(p.steps[0], result("test", StepStatus::succeeded, "", 1, 5ms));
  StepResult given = result("image", StepStatus::succeeded, "", 1, 5ms);
  given.output_lines = {"from the executor"};
  hub.step_finished(p.steps[1], given);
  REQUIRE(rec.finished.size() == 2);
  CHECK(rec.finished[0].output_lines == std::vector<std::string>{"first", "printed ********"});
  CHECK(rec.finished[1].output_lines == std::vector<std::string>{"from the executor"});

  RunSummary summary;
  summary.steps = {result("test", StepStatus::succeeded, "", 1, 5ms)};
  hub.pipeline_finished(summary);
  CHECK(rec.summary.steps.at(0).output_lines == std::vector<std::string>{"first", "printed ********"});
}

TEST_CASE("the hub keeps only the tail of a huge output", "[report]") {
  Pipeline p = make_pipeline();
  auto recorder = std::make_unique<HubSpy>();
  HubSpy& rec = *recorder;
  ReporterHub hub;
  hub.add(std::move(recorder));
  const std::string line(1023, 'x');  // 1 KiB with the newline
  for (int i = 0; i < 1100; ++i) hub.step_output(p.steps[0], line, OutputStream::out);
  hub.step_output(p.steps[0], "last", OutputStream::out);
  hub.step_finished(p.steps[0], result("test", StepStatus::succeeded, "", 1, 5ms));
  const auto& lines = rec.finished.at(0).output_lines;
  REQUIRE(lines.size() > 2);
  CHECK(lines.front().rfind("[hoist] ", 0) == 0);
  CHECK(lines.front().find("earlier lines omitted") != std::string::npos);
  CHECK(lines.back() == "last");
  CHECK(lines.size() <= 1025);
}

TEST_CASE("the hub serialises calls from several threads", "[report]") {
  Pipeline p = make_pipeline();
  auto recorder = std::make_unique<HubSpy>();
  HubSpy& rec = *recorder;
  ReporterHub hub;
  hub.add(std::move(recorder));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) hub.step_output(p.steps[t], "line " + std::to_string(i), OutputStream::out);
    });
  for (auto& th : threads) th.join();
  CHECK_FALSE(rec.overlapped);
  CHECK(rec.events.size() == 2000);
}

TEST_CASE("a reporter that throws does not stop the others", "[report]") {
  Pipeline p = make_pipeline();
  auto first = std::make_unique<HubSpy>();
  auto second = std::make_unique<HubSpy>();
  first->throw_on_finish = true;
  HubSpy& b = *second;
  ReporterHub hub;
  hub.add(std::move(first));
  hub.add(std::move(second));
  CHECK_THROWS_WITH(hub.step_finished(p.steps[0], result("test", StepStatus::succeeded, "", 1, 5ms)),
                    "reporter broke");
  CHECK(b.finished.size() == 1);
}

TEST_CASE("report files are replaced atomically", "[report]") {
  TempDir dir;
  const std::string path = dir / "report.xml";
  write_file_atomically(path, "old");
  write_file_atomically(path, "new content");
  CHECK(read_file(path) == "new content");
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::others_read) !=
        std::filesystem::perms::none);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);  // no temporary file left behind
  CHECK_THROWS_AS(write_file_atomically(dir / "missing/dir/report.xml", "x"), Error);
  CHECK_THROWS_WITH(write_file_atomically(dir / "missing/dir/report.xml", "x"), Catch::Contains("missing/dir"));
}
