// The hoist binary end to end: exit codes, validation output, run and plan, and the report files, through a real
// process (the way CI calls it).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/process/subprocess.hpp"
#include "tests/support/command.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/leak_check.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
namespace fs = std::filesystem;

namespace {

using test::HoistRun;

HoistRun hoist_cli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
  return test::run_hoist(args, env);
}

std::string write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
  return p.string();
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("hoist validate reports every problem with its place and exits 2", "[cli]") {
  test::TempDir dir;
  auto file = write(dir.path() / "p.yaml", "version: 1\nsteps:\n  - id: a\n    uses: image/bulid\n"
                                           "  - id: b\n    run: echo ${nope}\n    needs: [c]\n");
  HoistRun r = hoist_cli({"validate", file});
  CHECK(r.code == 2);
  CHECK(r.err == file + ":4:11: unknown step kind 'image/bulid' (did you mean 'image/build'?)\n" + file +
                     ":6:15: undefined variable 'nope' (define it under vars, pass --var nope=..., or set it in the "
                     "environment)\n" +
                     file + ":7:13: step 'b' needs unknown step 'c'\n");
  CHECK(r.out.empty());
}

TEST_CASE("hoist validate lints without the run-time values, which only run and plan require", "[cli]") {
  test::TempDir dir;
  auto file = write(dir.path() / "p.yaml", "version: 1\nname: lint\nvars:\n  IMAGE: ${REGISTRY}/shop/api\n"
                                           "notify:\n  on_failure:\n    - webhook: ${SLACK_WEBHOOK_URL}\n"
                                           "steps:\n  - id: a\n    run: echo ${IMAGE}\n");
  HoistRun lint = hoist_cli({"validate", file});
  CHECK(lint.code == 0);
  CHECK(lint.out == file + ": ok (1 step; given at run time: REGISTRY, SLACK_WEBHOOK_URL)\n");
  CHECK(lint.err.empty());

  const std::string missing = file + ":4:10: undefined variable 'REGISTRY' (define it under vars, pass --var "
                                     "REGISTRY=..., or set it in the environment)\n" +
                              file + ":7:16: undefined variable 'SLACK_WEBHOOK_URL' (define it under vars, pass "
                                     "--var SLACK_WEBHOOK_URL=..., or set it in the environment)\n";
  for (const std::string command : {"run", "plan"}) {
    HoistRun r = hoist_cli({command, file});
    CHECK(r.code == 2);
    CHECK(r.err == missing);
    CHECK(r.out.empty());
  }
  HoistRun given = hoist_cli({"run", file, "--var", "REGISTRY=registry.example.com"},
                             {{"SLACK_WEBHOOK_URL", "http://127.0.0.1:9/hook"}});
  CHECK(given.code == 0);
  CHECK_THAT(given.out, Catch::Contains("registry.example.com/shop/api"));

  // A near miss of a name the pipeline defines stays an error, with its place, even when linting.
  auto typo = write(dir.path() / "typo.yaml", "version: 1\nname: lint\nvars:\n  REGISTRY_HOST: r.example.com\n"
                                              "steps:\n  - id: a\n    run: echo ${REGISTRY_HOTS}\n");
  HoistRun refused = hoist_cli({"validate", typo});
  CHECK(refused.code == 2);
  CHECK(refused.err == typo + ":7:15: undefined variable 'REGISTRY_HOTS' (did you mean 'REGISTRY_HOST'?) (define it "
                              "under vars, pass --var REGISTRY_HOTS=..., or set it in the environment)\n");
}

TEST_CASE("hoist validate accepts the example pipeline", "[cli]") {
  HoistRun r = hoist_cli({"validate", "pipelines/hello.yaml"});
  CHECK(r.code == 0);
  CHECK(r.out == "pipelines/hello.yaml: ok (4 steps)\n");
}

TEST_CASE("every example pipeline validates", "[cli]") {
  std::vector<std::string> args = {"validate", "--var", "REGISTRY=registry.example.com", "--var",
                                   "MANIFEST_REPO=https://git.example.com/manifests.git"};
  for (const auto& entry : fs::directory_iterator(fs::path(HOIST_SOURCE_DIR) / "pipelines"))
    if (entry.path().extension() == ".yaml") args.push_back("pipelines/" + entry.path().filename().string());
  REQUIRE(args.size() >= 8);  // hello, base-runtime, api-gateway
  HoistRun r = hoist_cli(args);
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("pipelines/api-gateway.yaml: ok (3 steps)"));
}

TEST_CASE("hoist run runs the example pipeline and writes its reports", "[cli]") {
  test::TempDir dir;
  auto junit = (dir.path() / "report.xml").string(), dotenv = (dir.path() / "out.env").string();
  HoistRun r = hoist_cli({"run", "pipelines/hello.yaml", "--var", "WHO=tester", "--junit", junit, "--dotenv", dotenv});
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Hello, tester: 12 tests passed"));
  CHECK(slurp(dotenv).find("GREET_MESSAGE=Hello, tester: 12 tests passed\n") != std::string::npos);
  CHECK(slurp(junit).find("<testcase classname=\"hello\" name=\"greet\"") != std::string::npos);
}

TEST_CASE("hoist plan runs no command", "[cli]") {
  test::TempDir dir;
  auto marker = dir.path() / "ran";
  auto file = write(dir.path() / "p.yaml", "version: 1\nname: p\nsteps:\n  - id: touch\n    run: touch " +
                                               marker.string() + "\n");
  HoistRun r = hoist_cli({"plan", file});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("[touch] would run:\n[touch]   touch " + marker.string() + "\n"));
  CHECK_FALSE(fs::exists(marker));
  HoistRun applied = hoist_cli({"run", file});
  CHECK(applied.code == 0);
  CHECK(fs::exists(marker));
}

TEST_CASE("a failing step gives exit code 1, and bad flags exit code 2", "[cli]") {
  test::TempDir dir;
  auto file = write(dir.path() / "p.yaml", "version: 1\nname: p\nsteps:\n  - {id: bad, run: 'exit 3'}\n"
                                           "  - {id: after, run: 'echo never', needs: [bad]}\n");
  HoistRun r = hoist_cli({"run", file, "--output", "json"});
  CHECK(r.code == 1);
  std::istringstream lines(r.out);
  std::string line, last;
  while (std::getline(lines, line)) last = line;
  auto summary = nlohmann::json::parse(last);
  CHECK(summary["event"] == "pipeline_finished");
  CHECK(summary["ok"] == false);
  CHECK(hoist_cli({"run", file, "--outptu", "json"}).err ==
        "hoist: error: hoist run: unknown option '--outptu' (did you mean '--output'?)\n");
  CHECK(hoist_cli({"run", file, "--only", "nope"}).code == 2);
  CHECK(hoist_cli({"frobnicate"}).code == 2);
}

TEST_CASE("hoist run --jobs takes a whole positive number and nothing else", "[cli]") {
  test::TempDir dir;
  auto file = write(dir.path() / "p.yaml", "version: 1\nname: p\nsteps:\n  - {id: one, run: 'true'}\n");
  for (const char* bad : {"4x", "0", "-1", "", " 4", "4 ", "99999999999"}) {
    INFO(bad);
    HoistRun r = hoist_cli({"run", file, "--jobs", bad});
    CHECK(r.code == 2);
    CHECK(r.err == std::string("hoist: error: hoist run: --jobs must be a positive number, got '") + bad + "'\n");
  }
  CHECK(hoist_cli({"run", file, "--jobs", "4"}).code == 0);
}

TEST_CASE("a secret printed by a step never reaches stdout, JSON or JUnit", "[cli]") {
  test::TempDir dir;
  auto file = write(dir.path() / "p.yaml", "version: 1\nname: p\nsecrets: [DB]\nsteps:\n"
                                           "  - {id: leak, run: 'echo token=$DEPLOY_TOKEN db=$DB; exit 1'}\n");
  auto junit = (dir.path() / "r.xml").string();
  std::map<std::string, std::string> env = {{"DEPLOY_TOKEN", "tok-9f8e7d"}, {"DB", "pa55word"}};
  HoistRun text = hoist_cli({"run", file, "--junit", junit}, env);
  HoistRun json = hoist_cli({"run", file, "--output", "json"}, env);
  for (const std::string& s : {text.out + text.err, json.out + json.err, slurp(junit)}) {
    CHECK(s.find("tok-9f8e7d") == std::string::npos);
    CHECK(s.find("pa55word") == std::string::npos);
    CHECK(s.find("token=******** db=********") != std::string::npos);
  }
  // Nothing else the runs wrote holds them either (the report files, the pipeline's directory).
  CHECK(test::find_leaks({"tok-9f8e7d", "pa55word"}, {{"text", text.out + text.err}, {"json", json.out + json.err}},
                         {dir.path()}).empty());
}

TEST_CASE("SIGTERM or SIGINT to hoist kills the steps' process groups and exits 130", "[cli]") {
  for (const char* sig : {"TERM", "INT"}) {
    test::TempDir dir;
    auto pidfile = dir.path() / "grandchild.pid";
    auto file = write(dir.path() / "p.yaml", "version: 1\nname: p\nsteps:\n  - id: slow\n    run: |\n"
                                             "      sleep 300 &\n      echo $! > " + pidfile.string() + "\n"
                                             "      sleep 300\n  - {id: after, run: 'echo never', needs: [slow]}\n");
    // The script starts hoist, waits for the step's grandchild to exist, signals hoist, and reports its exit code.
    std::string script = std::string(HOIST_BINARY) + " run " + file + " & pid=$!\n"
                         "for i in $(seq 200); do [ -s " + pidfile.string() + " ] && break; sleep 0.05; done\n"
                         "kill -" + sig + " $pid; wait $pid; echo \"exit=$?\"\n";
    ProcessSpec spec;
    spec.argv = {"bash", "-c", script};
    spec.env = {{"PATH", "/usr/bin:/bin"}, {"CI", "true"}};
    spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::string out;
    CancelToken never;
    PosixProcessRunner().run(spec, [&](std::string_view line, OutputStream) { out += std::string(line) + "\n"; }, never);
    INFO(sig << "\n" << out);
    CHECK_THAT(out, Catch::Contains("exit=130"));
    CHECK_THAT(out, Catch::Contains("cancelled"));
    CHECK_THAT(out, !Catch::Contains("never"));
    int grandchild = std::stoi(slurp(pidfile));
    CHECK_FALSE(test::process_alive(grandchild));
  }
}
