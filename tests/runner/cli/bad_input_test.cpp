// The bad-input corpus (tests/bad/): every malformed pipeline and policy file must be refused with exit code 2 and
// exactly its expected message, without a crash, a hang or unbounded memory, and without running anything.
//   tests/bad/pipelines/NAME.yaml + NAME.expected   the stderr of `hoist validate tests/bad/pipelines/NAME.yaml`
//                                                   (and of `hoist run` on it)
//   tests/bad/policy/NAME.yaml + NAME.expected      the stderr of `hoist validate --policy tests/bad/policy/NAME.yaml`
//   tests/bad/image_build/NAME.yaml + NAME.expected the problems image/build's reader finds in that `with` mapping
//                                                   (in-process: the image/build kind is not registered yet)
// Every `run` step of the pipeline corpus that would run touches "$HOIST_MARKER"; the run test asserts it never
// appears. To add a case, write NAME.yaml, run `HOIST_UPDATE_EXPECTED=1 build/hoist_tests "[bad]"` to write its
// NAME.expected, and read that file as a reviewer would: it is what users will see.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/process/subprocess.hpp"
#include "steps/image/build_spec.hpp"
#include "steps/gate/policy.hpp"
#include "steps/yamledit/yamledit.hpp"
#include "tests/support/command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = HOIST_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every NAME.yaml of a corpus folder, as paths relative to the source directory, sorted.
std::vector<std::string> corpus(const std::string& folder) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(kSource / folder))
    if (e.path().extension() == ".yaml") out.push_back(folder + "/" + e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

fs::path expected_path(const std::string& yaml) {
  fs::path p = kSource / yaml;
  p.replace_extension(".expected");
  return p;
}

std::string expected_for(const std::string& yaml) {
  REQUIRE(fs::exists(expected_path(yaml)));
  return slurp(expected_path(yaml));
}

// With HOIST_UPDATE_EXPECTED set, `actual` becomes the expected output (and the check passes).
void update_if_asked(const std::string& yaml, const std::string& actual) {
  if (std::getenv("HOIST_UPDATE_EXPECTED")) std::ofstream(expected_path(yaml), std::ios::binary) << actual;
}

struct Outcome {
  ProcessResult result;
  std::string out, err;
};

// Runs the hoist binary from the source directory with at most 1 GiB of address space and 30 s: a YAML bomb that
// our code expanded would be killed (and the test fail) instead of taking the machine down.
Outcome run_hoist(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
  ProcessSpec spec;
  spec.argv = {"/bin/bash", "-c", "ulimit -v 1048576 && exec \"$0\" \"$@\"", HOIST_BINARY};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", "/tmp"}, {"CI", "true"}};
  for (auto& [k, v] : env) spec.env[k] = v;
  spec.working_dir = kSource.string();
  spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  Outcome o;
  CancelToken never;
  PosixProcessRunner runner;
  o.result = runner.run(spec, [&](std::string_view line, OutputStream s) {
    (s == OutputStream::out ? o.out : o.err) += std::string(line) + "\n";
  }, never);
  return o;
}

void require_refused(const Outcome& o, const std::string& expected) {
  INFO("stderr:\n" << o.err);
  REQUIRE_FALSE(o.result.timed_out);
  REQUIRE(o.result.signal == 0);
  CHECK(o.result.exit_code == 2);
  CHECK(o.err == expected);
  CHECK(o.out.empty());
}

}  // namespace

TEST_CASE("the bad-input corpus has at least 40 pipeline and policy files, each with its expected message", "[bad]") {
  const auto pipelines = corpus("tests/bad/pipelines");
  const auto policies = corpus("tests/bad/policy");
  CHECK(pipelines.size() + policies.size() >= 40);
  for (const auto& f : pipelines) expected_for(f);
  for (const auto& f : policies) expected_for(f);
}

// NAME.validate.expected, when there: `hoist validate` accepts NAME.yaml (exit 0, this exact stdout) because all it
// lacks are variables the CI job can give at run time; `hoist run` without them still refuses it.
fs::path lint_expected_path(const std::string& yaml) {
  fs::path p = kSource / yaml;
  p.replace_extension(".validate.expected");
  return p;
}

TEST_CASE("hoist validate refuses every bad pipeline with exit 2 and its exact message", "[bad]") {
  for (const auto& file : corpus("tests/bad/pipelines")) {
    if (fs::exists(lint_expected_path(file))) continue;
    DYNAMIC_SECTION(file) {
      Outcome o = run_hoist({"validate", file});
      update_if_asked(file, o.err);
      require_refused(o, expected_for(file));
    }
  }
}

TEST_CASE("hoist validate accepts, naming them, what only lacks variables given at run time", "[bad]") {
  int linted = 0;
  for (const auto& file : corpus("tests/bad/pipelines")) {
    if (!fs::exists(lint_expected_path(file))) continue;
    ++linted;
    DYNAMIC_SECTION(file) {
      Outcome o = run_hoist({"validate", file});
      INFO("stderr:\n" << o.err);
      CHECK(o.result.exit_code == 0);
      CHECK(o.out == slurp(lint_expected_path(file)));
      CHECK(o.err.empty());
    }
  }
  CHECK(linted >= 1);
}

TEST_CASE("hoist run refuses every bad pipeline before running, writing or reporting anything", "[bad]") {
  test::TempDir dir;
  const std::string marker = dir.file("marker");
  for (const auto& file : corpus("tests/bad/pipelines")) {
    DYNAMIC_SECTION(file) {
      require_refused(run_hoist({"run", file, "--junit", dir.file("report.xml"), "--dotenv", dir.file("out.env")},
                            {{"HOIST_MARKER", marker}}),
                      expected_for(file));
      CHECK(fs::is_empty(dir.path()));
    }
  }
}

TEST_CASE("hoist validate --policy refuses every bad policy with exit 2 and its exact message", "[bad]") {
  for (const auto& file : corpus("tests/bad/policy")) {
    DYNAMIC_SECTION(file) {
      Outcome o = run_hoist({"validate", "--policy", file});
      update_if_asked(file, o.err);
      require_refused(o, expected_for(file));
    }
  }
}

TEST_CASE("the policy loader reports exactly what hoist validate --policy prints", "[bad]") {
  for (const auto& file : corpus("tests/bad/policy")) {
    DYNAMIC_SECTION(file) {
      Diagnostics diags;
      promote::load_policy(slurp(kSource / file), file, diags);
      CHECK(diags.format() == expected_for(file));
    }
  }
}

TEST_CASE("image/build's reader reports every problem of a bad with at its place", "[bad]") {
  for (const auto& file : corpus("tests/bad/image_build")) {
    DYNAMIC_SECTION(file) {
      Diagnostics diags;
      image::parse_build_spec(YAML::Load(slurp(kSource / file)), file, diags);
      update_if_asked(file, diags.format());
      CHECK(diags.format() == expected_for(file));
    }
  }
}

TEST_CASE("files larger than 1 MiB are refused before parsing: a 10 MB scalar", "[bad]") {
  test::TempDir dir;
  const std::string big(10 * 1024 * 1024, 'x');
  std::ofstream(dir.path() / "big.yaml") << "version: 1\nname: big\nsteps:\n  - id: a\n    run: echo " << big << "\n";
  std::ofstream(dir.path() / "hoist.yaml") << "environments:\n  qa: {branch: qa, file: \"" << big << "\"}\n";
  auto size = [&](const char* name) { return std::to_string(fs::file_size(dir.path() / name)); };
  require_refused(run_hoist({"validate", dir.file("big.yaml")}),
                  dir.file("big.yaml") + ": the pipeline file is " + size("big.yaml") + " bytes; the limit is 1048576\n");
  require_refused(run_hoist({"validate", "--policy", dir.file("hoist.yaml")}),
                  dir.file("hoist.yaml") + ": the policy file is " + size("hoist.yaml") +
                      " bytes; the limit is 1048576\n");
}

TEST_CASE("a pipeline with a problem commits nothing to the manifest repository", "[bad]") {
  test::TempDir dir;
  auto git = [&](std::vector<std::string> args, const std::string& cwd) {
    test::Command c = test::git_command(std::move(args));
    c.working_dir = cwd;
    auto r = test::run_command(c);
    INFO(r.err);
    REQUIRE(r.ok());
    return r.out;
  };
  const std::string repo = dir.file("manifests.git");
  fs::create_directories(dir.path() / "work");
  git({"init", "--bare", "-q", repo}, dir.path().string());
  git({"init", "-q"}, dir.file("work"));
  std::ofstream(dir.path() / "work" / "values.yaml") << "image:\n  tag: old\n";
  git({"add", "values.yaml"}, dir.file("work"));
  git({"commit", "-q", "-m", "seed"}, dir.file("work"));
  git({"push", "-q", repo, "HEAD:refs/heads/qa"}, dir.file("work"));
  const std::string before = git({"rev-parse", "qa"}, repo);

  // The bump step alone is valid; another step's undefined variable must stop the whole run before it starts.
  const std::string pipeline = dir.file("p.yaml");
  std::ofstream(pipeline) << "version: 1\nname: p\nsteps:\n"
                             "  - id: deploy\n    uses: manifest/bump\n"
                             "    with: {repo: " << repo << ", branch: qa, file: values.yaml, set: {image.tag: new}}\n"
                             "  - id: touch\n    run: touch \"$HOIST_MARKER\" ${NOT_DEFINED_X}\n";
  auto o = run_hoist({"run", pipeline}, {{"HOIST_MARKER", dir.file("marker")}});
  require_refused(o, pipeline + ":8:32: undefined variable 'NOT_DEFINED_X' (define it under vars, pass --var "
                                "NOT_DEFINED_X=..., or set it in the environment)\n");
  CHECK(git({"rev-parse", "qa"}, repo) == before);
  CHECK_FALSE(fs::exists(dir.path() / "marker"));
}

TEST_CASE("a manifest file whose aliases expand past the limit is refused before the editor walks it", "[bad]") {
  // 12 levels of 10 aliases: 10^12 values once expanded, a few hundred bytes on disk.
  std::string text = "a0: &a0 x\n";
  for (int i = 1; i <= 12; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", *a" : "*a") + std::to_string(i - 1);
    text += "]\n";
  }
  text += "image:\n  tag: old\n";
  for (auto kind : {yamledit::Edit::Kind::key_path, yamledit::Edit::Kind::image, yamledit::Edit::Kind::marker}) {
    yamledit::Edit edit{kind, kind == yamledit::Edit::Kind::key_path ? "image.tag" : "r/app", "new", false, false};
    CHECK_THROWS_WITH(yamledit::apply_edits(text, {edit}, "values.yaml"),
                      "values.yaml: holds more than 2000000 values once its aliases are expanded; refusing to edit it");
  }
}

TEST_CASE("a manifest file on which yaml-cpp reports empty documents forever is refused, not loaded", "[bad]") {
  // yaml-cpp 0.7 stops advancing on this input (found by fuzzing); YAML::LoadAll alone would never return.
  const std::string text = ", e: [0, 2]}\n1.\xff\xff" "b: *v\nc1d.0: 'q', e: [e :[1, 2]}\n";
  CHECK_THROWS_WITH(yamledit::apply_edits(text, {yamledit::Edit{yamledit::Edit::Kind::key_path, "b", "2", false, false}},
                                          "values.yaml"),
                    "values.yaml: more than 10000 YAML documents; refusing to edit it");
}

TEST_CASE("hoist validate --policy accepts a good policy, and says which files it checked", "[bad]") {
  test::TempDir dir;
  std::ofstream(dir.path() / "hoist.yaml") << "environments:\n  qa: {branch: qa, file: \"{app}/qa.yaml\"}\n"
                                              "  prod: {branch: master, file: \"{app}/prod.yaml\", after: qa}\n";
  Outcome o = run_hoist({"validate", "--policy", dir.file("hoist.yaml")});
  CHECK(o.result.exit_code == 0);
  CHECK(o.out == dir.file("hoist.yaml") + ": ok (2 environments)\n");
  CHECK(o.err.empty());
  Outcome none = run_hoist({"validate", "--policy"});
  CHECK(none.result.exit_code == 2);
  CHECK(none.err == "hoist: error: hoist validate --policy: give one or more policy files\n");
}
