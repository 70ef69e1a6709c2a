#include <catch2/catch.hpp>

#include "runner/cli/builtin_kinds.hpp"
#include "runner/pipeline/pipeline_loader.hpp"
#include "runner/pipeline/variables.hpp"
#include "runner/util/errors.hpp"

using namespace hoist;

namespace {
Pipeline load(const std::string& text) {
  Diagnostics d;
  Pipeline p = load_pipeline_text(text, "p.yaml", builtin_kinds(), d);
  REQUIRE(d.format() == "");
  return p;
}
}  // namespace

TEST_CASE("variables resolve from --var, then vars, then built-ins, then the environment", "[variables]") {
  Pipeline p = load(R"(version: 1
vars:
  IMAGE: ${REGISTRY}/shop/${APP}
  APP: api
  TAG: ${COMMIT_SHORT_SHA}
  PATH: ${PATH}:/opt/bin
  LEVEL: vars
steps: [{id: a, run: x}]
)");
  Variables v(p, {{"LEVEL", "cli"}}, {{"COMMIT_SHORT_SHA", "abc123"}, {"PATH", "ignored-builtin-shadow"}},
              {{"REGISTRY", "127.0.0.1:5000"}, {"PATH", "/usr/bin"}, {"LEVEL", "env"}, {"HOME", "/root"}});
  CHECK(v.get("IMAGE") == "127.0.0.1:5000/shop/api");  // uses a var defined after it
  CHECK(v.get("TAG") == "abc123");
  CHECK(v.get("PATH") == "ignored-builtin-shadow:/opt/bin");  // own name: the value from below vars
  CHECK(v.get("LEVEL") == "cli");
  CHECK(v.get("HOME") == "/root");
  CHECK_FALSE(v.get("NOPE").has_value());

  auto env = v.child_environment();
  CHECK(env["IMAGE"] == "127.0.0.1:5000/shop/api");
  CHECK(env["COMMIT_SHORT_SHA"] == "abc123");
  CHECK(env["LEVEL"] == "cli");
  CHECK(v.outside_names().count("REGISTRY") == 1);
}

TEST_CASE("assignments given as --var K=V", "[variables]") {
  CHECK(parse_assignment("A=b=c") == std::pair<std::string, std::string>{"A", "b=c"});
  CHECK(parse_assignment("A=") == std::pair<std::string, std::string>{"A", ""});
  CHECK_THROWS_WITH(parse_assignment("1A=x"), "--var expects NAME=VALUE, got '1A=...'");
  CHECK_THROWS_WITH(parse_assignment("novalue"), "--var expects NAME=VALUE, got 'novalue'");
}

TEST_CASE("a --var with a 1 MB name is taken or refused, no crash", "[variables]") {
  const std::string name(1 << 20, 'N');
  CHECK(parse_assignment(name + "=v") == std::pair<std::string, std::string>{name, "v"});
  CHECK_THROWS_WITH(parse_assignment(name + "-=v"), "--var expects NAME=VALUE, got '" + name + "-=...'");
  CHECK_THROWS_WITH(parse_assignment("=v"), "--var expects NAME=VALUE, got '=...'");
  CHECK(parse_assignment("_1=v").first == "_1");
}

TEST_CASE("secret variables are collected for masking", "[variables]") {
  Pipeline p = load("version: 1\nvars:\n  DEPLOY_TOKEN: tok-${SUFFIX}\n  PLAIN: visible\n  DB: hunter22\n"
                    "secrets: [DB]\nsteps: [{id: a, run: x}]\n");
  Variables v(p, {}, {}, {{"SUFFIX", "s3cr3t"}, {"CI_JOB_PASSWORD", "pw-from-env"}});
  SecretMasker m;
  v.add_secrets_to(m, p.secrets);
  CHECK(m.mask("a tok-s3cr3t b visible c hunter22 d pw-from-env") == "a ******** b visible c ******** d ********");
}
