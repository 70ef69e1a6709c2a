// Promotion in process, with a recording fake ImageResolver (values files without digests: the registry names the
// digest of a tag, and an environment with its own registry gets the image copied by digest), a scripted terminal and
// a fixed clock, against the real git server.
#include <catch2/catch.hpp>

#include <sstream>

#include "runner/cli/manifest_commands.hpp"
#include "runner/process/subprocess.hpp"
#include "runner/util/errors.hpp"
#include "tests/support/manifest_in_process.hpp"
#include "tests/support/promote_fixture.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

const std::string kRepo = "manifests";

class FakeResolver : public promote::ImageResolver {
 public:
  std::map<std::string, std::string> digests;  // "repo:tag" -> digest
  std::vector<std::string> calls;
  std::string digest_of(const std::string& ref) override {
    calls.push_back("digest_of " + ref);
    auto it = digests.find(ref);
    if (it == digests.end()) throw Error("no such image " + ref);
    return it->second;
  }
  void copy(const std::string& from, const std::string& to, const std::vector<std::string>& tags) override {
    std::string t;
    for (const auto& tag : tags) t += " " + tag;
    calls.push_back("copy " + from + " -> " + to + t);
  }
};

class FakePrompt : public Prompt {
 public:
  bool tty = true;
  std::string answer;
  std::vector<std::string> questions;
  bool interactive() const override { return tty; }
  std::string ask(std::string_view, std::string_view question) override {
    questions.emplace_back(question);
    return answer;
  }
};

// 2026-11-25 (a Wednesday) 12:00 UTC.
promote::TimePoint wednesday_noon() {
  using namespace std::chrono;
  return promote::TimePoint(sys_days{year{2026} / November / 25}) + hours(12);
}

struct World {
  GitServer git;
  FakeResolver resolver;
  FakePrompt prompt;
  PosixProcessRunner processes;
  TempDir cwd;
  promote::TimePoint now = wednesday_noon();

  // Runs COMMAND in process as USER; errors become exit codes as in cli.cpp.
  HoistRun run(const std::string& user, ManifestCommand command, const std::vector<std::string>& args) {
    ManifestDeps deps{prompt, resolver, processes, [this] { return now; }};
    return run_manifest_command(command, args, user, git, kRepo, deps, cwd.path().string());
  }
};

const char* kPolicyWithProdRegistry = R"(environments:
  qa: {branch: qa, file: "{app}/qa.values.yaml"}
  staging: {branch: staging, file: "{app}/staging.values.yaml", after: qa}
  prod:
    branch: master
    file: "{app}/prod.values.yaml"
    after: staging
    registry: prod-registry.example.com
    gate:
      approvals: 2
      approvers: [alice, bob, carol, erin]
      self_approval: false
      freeze: ["Thu 00:00 - Fri 00:00 Z"]
image: "registry.example.com/shop/{app}"
)";

}  // namespace

TEST_CASE("the registry names the digest when values files record none, another registry gets a copy", "[promote]") {
  World w;
  create_promote_repo(w.git, kRepo, false, kPolicyWithProdRegistry);
  w.resolver.digests["registry.example.com/shop/api-gateway:1.1.0"] = kD1;
  w.resolver.digests["registry.example.com/shop/api-gateway:1.0.0"] = kD0;
  // qa -> staging through Hoist (no gate), so what staging runs has a lineage.
  auto s = w.run("erin", promote_command, {"api-gateway", "--from", "qa", "--to", "staging", "--yes"});
  INFO(s.out << s.err);
  REQUIRE(s.code == 0);
  CHECK(w.git.read_file(kRepo, "staging", "api-gateway/staging.values.yaml") == values("1.1.0", ""));

  // The digest approved by default is what staging runs, as the registry says.
  auto a = w.run("alice", approve_command, {"api-gateway", "--env", "prod", "--yes"});
  INFO(a.out << a.err);
  REQUIRE(a.code == 0);
  CHECK_THAT(a.out, Catch::Contains(kD1));
  REQUIRE(w.run("bob", approve_command, {"api-gateway", "--env", "prod", "--yes"}).code == 0);
  w.resolver.calls.clear();
  const auto before = w.git.head(kRepo, "master");

  SECTION("on a terminal, typing the environment's name promotes; the image is copied by digest first") {
    w.prompt.answer = "prod";
    auto p = w.run("erin", promote_command, {"api-gateway", "--from", "staging", "--to", "prod"});
    INFO(p.out << p.err);
    REQUIRE(p.code == 0);
    REQUIRE(w.prompt.questions.size() == 1);
    CHECK_THAT(w.prompt.questions[0], Catch::Contains("type 'prod'"));
    CHECK_THAT(p.out, Catch::Contains("copy  registry.example.com/shop/api-gateway@" + kD1 +
                                      " -> prod-registry.example.com/shop/api-gateway:1.1.0"));
    CHECK(std::count(w.resolver.calls.begin(), w.resolver.calls.end(),
                     "copy registry.example.com/shop/api-gateway@" + kD1 +
                         " -> prod-registry.example.com/shop/api-gateway 1.1.0") == 1);
    CHECK(w.git.read_file(kRepo, "master", "api-gateway/prod.values.yaml") == values("1.1.0", ""));
  }
  SECTION("typing anything else changes nothing and copies nothing") {
    w.prompt.answer = "prd";
    auto p = w.run("erin", promote_command, {"api-gateway", "--from", "staging", "--to", "prod"});
    CHECK(p.code == 1);
    CHECK_THAT(p.err, Catch::Contains("not confirmed"));
    CHECK(w.git.head(kRepo, "master") == before);
    for (const auto& c : w.resolver.calls) CHECK(c.rfind("copy", 0) != 0);
  }
  SECTION("--plan asks nothing, copies nothing, pushes nothing") {
    auto p = w.run("erin", promote_command, {"api-gateway", "--from", "staging", "--to", "prod", "--plan"});
    CHECK(p.code == 0);
    CHECK(w.prompt.questions.empty());
    CHECK_THAT(p.out, Catch::Contains("-  tag: \"1.0.0\"   # set by CI"));
    CHECK(w.git.head(kRepo, "master") == before);
    for (const auto& c : w.resolver.calls) CHECK(c.rfind("copy", 0) != 0);
  }
  SECTION("during a freeze window (injected clock) the gate refuses") {
    w.now += std::chrono::hours(13);  // Thursday 01:00 UTC; the approvals are 13 hours old, within 24h
    w.prompt.answer = "prod";
    auto p = w.run("erin", promote_command, {"api-gateway", "--from", "staging", "--to", "prod"});
    CHECK(p.code == 3);
    CHECK_THAT(p.err, Catch::Contains("freeze: prod is frozen now"));
    CHECK(w.prompt.questions.empty());
    CHECK(w.git.head(kRepo, "master") == before);
  }
  SECTION("approvals older than approval_ttl do not count") {
    w.now += std::chrono::hours(48 + 24);  // Saturday noon
    auto p = w.run("erin", promote_command, {"api-gateway", "--from", "staging", "--to", "prod", "--yes"});
    CHECK(p.code == 3);
    CHECK_THAT(p.out, Catch::Contains("not counted: it expired"));
    CHECK(w.git.head(kRepo, "master") == before);
  }
}

TEST_CASE("hoist approve on a terminal asks for the environment's name", "[promote]") {
  World w;
  create_promote_repo(w.git, kRepo);
  w.prompt.answer = "staging";
  auto a = w.run("alice", approve_command, {"api-gateway", "--env", "prod"});
  CHECK(a.code == 1);
  CHECK_THAT(a.err, Catch::Contains("not confirmed: nothing was recorded"));
  w.prompt.answer = "prod";
  auto b = w.run("alice", approve_command, {"api-gateway", "--env", "prod", "--comment", "ok"});
  INFO(b.out << b.err);
  CHECK(b.code == 0);
  CHECK_THAT(b.out, Catch::Contains("refs/hoist/approvals/api-gateway/prod/" + kD0.substr(7) + "/alice-"));
  w.prompt.tty = false;
  auto c = w.run("bob", approve_command, {"api-gateway", "--env", "prod"});
  CHECK(c.code == 2);
  CHECK_THAT(c.err, Catch::Contains("pass --yes"));
}
