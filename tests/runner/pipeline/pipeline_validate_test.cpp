// Validation reports every problem at once, each as file:line:col: message. One test per error class.
#include <catch2/catch.hpp>

#include "runner/exec/step_registry.hpp"
#include "runner/pipeline/pipeline_check.hpp"
#include "runner/pipeline/pipeline_loader.hpp"
#include "steps/run/run_step.hpp"
#include "tests/support/scripted_kind.hpp"

using namespace hoist;

namespace {

const StepRegistry& kinds() {
  static const StepRegistry r = [] {
    StepRegistry k;
    k.add(make_run_step());
    k.add(std::make_unique<test::ScriptedKind>("image/build"));
    return k;
  }();
  return r;
}

// Loads and checks `text` as p.yaml; returns the formatted diagnostics ("" when valid).
std::string problems(const std::string& text, std::set<std::string> defined = {"HOME"}) {
  Diagnostics d;
  Pipeline p = load_pipeline_text(text, "p.yaml", kinds(), d);
  check_pipeline(p, kinds(), defined, d);
  return d.format();
}

}  // namespace

TEST_CASE("a valid pipeline has no problems", "[validate]") {
  CHECK(problems(R"(version: 1
name: app
vars:
  APP: api
  IMAGE: reg/${APP}
secrets: [DEPLOY_TOKEN]
steps:
  - id: test
    run: echo ${APP} $HOME
    timeout: 10m
    retries: {count: 2, delay: 1s}
  - id: image
    uses: image/build
    needs: test
    with: {image: "${IMAGE}"}
  - id: show
    run: echo ${steps.image.value} ${steps.test.anything}
    needs: [image]
    env: {X: "${APP}"}
    when: always
)") == "");
}

TEST_CASE("YAML syntax errors point at the place", "[validate]") {
  CHECK(problems("version: 1\nsteps:\n  - id: a\n    run: [unclosed\n") ==
        "p.yaml:5:1: invalid YAML: end of sequence flow not found\n");
}

TEST_CASE("unknown keys are reported with a suggestion", "[validate]") {
  CHECK(problems("version: 1\nstpes: []\nsteps:\n  - id: a\n    run: x\n    nedds: [b]\n") ==
        "p.yaml:2:1: unknown key 'stpes' in pipeline (did you mean 'steps'?)\n"
        "p.yaml:6:5: unknown key 'nedds' in step (did you mean 'needs'?)\n");
}

TEST_CASE("unknown step kinds are reported with a suggestion", "[validate]") {
  CHECK(problems("version: 1\nsteps:\n  - id: a\n    uses: image/bulid\n") ==
        "p.yaml:4:11: unknown step kind 'image/bulid' (did you mean 'image/build'?)\n");
}

TEST_CASE("duplicate ids and duplicate keys", "[validate]") {
  CHECK(problems("version: 1\nsteps:\n  - id: a\n    run: x\n  - id: a\n    run: y\n    run: z\n") ==
        "p.yaml:5:5: duplicate step id 'a' (first defined at line 3)\n"
        "p.yaml:7:5: duplicate key 'run' in step (first at line 6)\n");
}

TEST_CASE("needs naming a missing step", "[validate]") {
  CHECK(problems("version: 1\nsteps:\n  - id: build\n    run: x\n  - id: b\n    run: y\n    needs: [biuld, b]\n") ==
        "p.yaml:7:13: step 'b' needs unknown step 'biuld' (did you mean 'build'?)\n"
        "p.yaml:7:20: step 'b' needs itself\n");
}

TEST_CASE("cycles are named", "[validate]") {
  CHECK(problems("version: 1\nsteps:\n"
                 "  - {id: a, run: x, needs: [c]}\n"
                 "  - {id: b, run: x, needs: [a]}\n"
                 "  - {id: c, run: x, needs: [b]}\n") ==
        "p.yaml:3:5: steps need each other in a cycle: a → c → b → a\n");
}

TEST_CASE("undefined variables, with a suggestion", "[validate]") {
  CHECK(problems("version: 1\nvars:\n  APP: x\nsteps:\n  - id: a\n    run: echo ${APPP} ${HOME}\n") ==
        "p.yaml:6:15: undefined variable 'APPP' (did you mean 'APP'?) (define it under vars, pass --var APPP=..., "
        "or set it in the environment)\n");
}

TEST_CASE("variables defined in a cycle", "[validate]") {
  CHECK(problems("version: 1\nvars:\n  A: ${B}\n  B: x${A}\n  C: ${C}\nsteps:\n  - {id: a, run: x}\n",
                 {"C"}) == "p.yaml:3:6: variables are defined in terms of each other in a cycle: A → B → A\n");
}

TEST_CASE("outputs of steps that are not upstream, or that a kind does not set", "[validate]") {
  CHECK(problems("version: 1\nsteps:\n"
                 "  - {id: img, uses: image/build}\n"
                 "  - {id: early, run: 'echo ${steps.img.value}'}\n"
                 "  - {id: late, run: 'echo ${steps.img.digest} ${steps.nope.x}', needs: [img]}\n") ==
        "p.yaml:4:28: '${steps.img.value}': step 'img' is not upstream of 'early' (add it to needs)\n"
        "p.yaml:5:27: '${steps.img.digest}': step 'img' (image/build) has no output 'digest'; it has value\n"
        "p.yaml:5:47: '${steps.nope.x}' names unknown step 'nope'\n");
}

TEST_CASE("wrong types and values", "[validate]") {
  CHECK(problems("version: 2\nname: [x]\nsteps:\n"
                 "  - id: a\n    run: x\n    timeout: 10 minutes\n    retries: many\n    when: allways\n"
                 "    env: [x]\n  - run: y\n  - {id: c, run: x, uses: image/build}\n  - just a string\n") ==
        "p.yaml:1:10: unsupported pipeline version 2 (this hoist reads version 1)\n"
        "p.yaml:2:7: 'name' must be a string, got a sequence\n"
        "p.yaml:6:14: 'timeout' must be a duration like 30s, 10m or 1h30m, got '10 minutes'\n"
        "p.yaml:7:14: 'retries' must be an integer, got 'many'\n"
        "p.yaml:8:11: 'when' must be on_success, on_failure or always, got 'allways' (did you mean 'always'?)\n"
        "p.yaml:9:10: 'env' must be a mapping, got a sequence\n"
        "p.yaml:10:5: step has no 'id'\n"
        "p.yaml:11:27: step 'c' has both 'run' and 'uses'; give one\n"
        "p.yaml:12:5: a step must be a mapping, got a string\n");
}

TEST_CASE("vars cannot use step outputs, malformed references", "[validate]") {
  CHECK(problems("version: 1\nvars:\n  D: ${steps.a.x}\nsteps:\n  - {id: a, run: 'echo ${1x}'}\n") ==
        "p.yaml:3:6: '${steps.a.x}': vars are resolved before any step runs, so they cannot use step outputs\n"
        "p.yaml:5:24: invalid reference '${1x}': a variable name has letters, digits and '_' and does not start "
        "with a digit\n");
}

TEST_CASE("step ids of half a megabyte are checked without overflowing the stack", "[validate]") {
  const std::string longest(500000, 'a');
  CHECK(problems("version: 1\nsteps:\n  - {id: " + longest + ", run: 'true'}\n") == "");
  CHECK(problems("version: 1\nsteps:\n  - {id: " + longest + "!, run: 'true'}\n") ==
        "p.yaml:3:10: invalid step id '" + longest + "!' (letters, digits, '_' and '-')\n");
  CHECK(problems("version: 1\nsteps:\n  - {id: -a, run: 'true'}\n") ==
        "p.yaml:3:10: invalid step id '-a' (letters, digits, '_' and '-')\n");
}
