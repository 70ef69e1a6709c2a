// Replays the fuzz targets' saved inputs in the ordinary test binary: every crasher found by scripts/fuzz is kept
// in fuzz/regressions/TARGET/ and must now pass its target's oracles; the seed corpora (the bad-input corpus, the
// example pipelines, fuzz/seeds/) must pass them too. The targets are compiled here as plain functions (see
// fuzz/fuzz_target.hpp), so what runs is exactly the code the fuzzer ran, minus the sanitizers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "runner/util/whole_file.hpp"

#define HOIST_FUZZ_REGRESSION
#include "fuzz/image_reference_fuzz.cpp"
#include "fuzz/key_path_fuzz.cpp"
#include "fuzz/pipeline_loader_fuzz.cpp"
#include "fuzz/policy_fuzz.cpp"
#include "fuzz/template_fuzz.cpp"
#include "fuzz/yaml_editor_fuzz.cpp"

namespace fs = std::filesystem;

namespace {

using Target = std::function<int(const std::uint8_t*, std::size_t)>;

// Every regular file under the given folders of the source tree, sorted. A folder of fuzz/regressions/ may be
// absent (no crasher found for that target yet); every other folder must exist and hold inputs, and all of them
// together at least one: a moved folder fails here instead of replaying nothing.
std::vector<fs::path> inputs(const std::vector<std::string>& folders) {
  std::vector<fs::path> out;
  for (const auto& f : folders) {
    const fs::path dir = fs::path(HOIST_SOURCE_DIR) / f;
    const bool optional = f.rfind("fuzz/regressions/", 0) == 0;
    INFO("input folder " << dir.string());
    if (optional && !fs::is_directory(dir)) continue;
    REQUIRE(fs::is_directory(dir));
    const std::size_t before = out.size();
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file()) out.push_back(e.path());
    CHECK(out.size() > before);
  }
  REQUIRE(!out.empty());
  std::sort(out.begin(), out.end());
  return out;
}

void replay(const Target& target, const std::vector<std::string>& folders) {
  for (const auto& path : inputs(folders)) {
    const std::string data = hoist::read_whole_file(path).value();
    INFO(path.string());
    CHECK_NOTHROW(target(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
  }
}

}  // namespace

TEST_CASE("fuzz regressions: pipeline loader", "[fuzz]") {
  replay(hoist_fuzz_pipeline_loader, {"fuzz/regressions/pipeline_loader", "tests/bad/pipelines", "pipelines"});
}

TEST_CASE("fuzz regressions: policy loader", "[fuzz]") {
  replay(hoist_fuzz_policy, {"fuzz/regressions/policy", "tests/bad/policy"});
}

TEST_CASE("fuzz regressions: key paths", "[fuzz]") {
  replay(hoist_fuzz_key_path, {"fuzz/regressions/key_path", "fuzz/seeds/key_path"});
}

TEST_CASE("fuzz regressions: templates", "[fuzz]") {
  replay(hoist_fuzz_template, {"fuzz/regressions/template", "fuzz/seeds/template"});
}

TEST_CASE("fuzz regressions: YAML editor", "[fuzz]") {
  replay(hoist_fuzz_yaml_editor, {"fuzz/regressions/yaml_editor", "fuzz/seeds/yaml_editor"});
}

TEST_CASE("fuzz regressions: image references", "[fuzz]") {
  replay(hoist_fuzz_image_reference, {"fuzz/regressions/image_reference", "fuzz/seeds/image_reference"});
}
