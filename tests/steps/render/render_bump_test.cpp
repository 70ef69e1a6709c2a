// `hoist bump` on a kustomize overlay, end to end through the hoist binary against the real git smart-HTTP server:
// --plan shows the objects the edit changes (text and --output json), an edit that breaks the overlay is refused
// with exit 2 before anything is pushed, and without kustomize or kubectl the plan says so and shows the values
// diff only.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/render_tools.hpp"

using namespace hoist;
namespace fs = std::filesystem;

namespace {

// The shop fixture (base + overlays/qa) as the files of one branch.
test::RepoFiles shop_files() {
  test::RepoFiles files;
  const fs::path root = fs::path(HOIST_SOURCE_DIR) / "tests/steps/render/fixtures/shop";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::stringstream s;
    s << in.rdbuf();
    files[fs::relative(entry.path(), root).generic_string()] = s.str();
  }
  return files;
}

std::map<std::string, std::string> git_env(const test::GitServer& git) {
  return {{"HOIST_GIT_USERNAME", git.username()}, {"HOIST_GIT_PASSWORD", git.password()}};
}

std::vector<std::string> bump_args(const test::GitServer& git, const std::string& set) {
  return {"bump", "--repo", git.url("manifests"), "--branch", "qa", "--file", "overlays/qa/kustomization.yaml",
          "--set", set, "--author", "Dee Ploy <dee@example.invalid>"};
}

// images[0] is api-gateway's entry (--set cannot spell images[name=...] yet: it splits KEY=VALUE at the first =).
const std::string kNewTag = "images[0].newTag=1.1.0";

// The step's lines without the "[bump] " the text reporter puts before each.
std::string step_lines(const std::string& out) {
  std::string lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines += (line.rfind("[bump] ", 0) == 0 ? line.substr(7) : line) + "\n";
  return lines;
}

}  // namespace

TEST_CASE("hoist bump --plan on a kustomize overlay shows the objects the edit changes", "[render][bump]") {
  test::require_kustomize();
  test::GitServer git;
  git.create_repo("manifests", {{"qa", shop_files()}});
  const std::string before = *git.head("manifests", "qa");
  auto args = bump_args(git, kNewTag);
  args.push_back("--plan");
  test::HoistRun r = test::run_hoist(args, git_env(git));
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  const std::string out = step_lines(r.out);
  CHECK_THAT(out, Catch::Contains("+    newTag: \"1.1.0\""));  // the values diff still comes first
  CHECK_THAT(out, Catch::Matches(
                        "[\\s\\S]*\nrendered kustomize overlays/qa \\((kubectl kustomize|kustomize build)\\): "
                        "1 object changes: 1 Deployment\n"
                        "  Deployment/shop-qa/api-gateway  spec.template.spec.containers\\[name=server\\].image  "
                        "registry.example.com/shop/api-gateway:1.0.0 → registry.example.com/shop/api-gateway:1.1.0\n"
                        "diff --git a/Deployment/shop-qa/api-gateway b/Deployment/shop-qa/api-gateway\n[\\s\\S]*"));
  CHECK_THAT(out, Catch::Contains("+          image: registry.example.com/shop/api-gateway:1.1.0\n"));
  CHECK(*git.head("manifests", "qa") == before);

  args.insert(args.end(), {"--output", "json"});
  test::HoistRun j = test::run_hoist(args, git_env(git));
  INFO(j.out << j.err);
  REQUIRE(j.code == 0);
  nlohmann::json outputs = test::last_step_outputs(j.out);
  REQUIRE(outputs.is_object());
  CHECK(outputs["objects"] == "1 object changes: 1 Deployment");
  auto rendered = nlohmann::json::parse(outputs["rendered"].get<std::string>());
  REQUIRE(rendered["sections"].size() == 1);
  const auto& object = rendered["sections"][0]["objects"][0];
  CHECK(object["kind"] == "Deployment");
  CHECK(object["fields"][0]["path"] == "spec.template.spec.containers[name=server].image");
  CHECK(object["fields"][0]["new"] == "registry.example.com/shop/api-gateway:1.1.0");
}

TEST_CASE("hoist bump refuses an edit that breaks the overlay before anything is pushed", "[render][bump]") {
  test::require_kustomize();
  test::GitServer git;
  git.create_repo("manifests", {{"qa", shop_files()}});
  const std::string before = *git.head("manifests", "qa");
  test::HoistRun r = test::run_hoist(bump_args(git, "replicas[0].count=two"), git_env(git));
  INFO(r.out << r.err);
  CHECK(r.code == 2);  // the step's error is an input error, and its exit code the command's (as hoist promote's)
  CHECK_THAT(r.out, Catch::Contains("the edit breaks kustomize overlays/qa: it renders at the branch tip but not "
                                    "with the edit (" ));
  CHECK_THAT(r.out, Catch::Contains("; nothing was pushed"));
  CHECK_THAT(r.out, Catch::Contains("cannot unmarshal string into Go struct field Replica.replicas.count of type int64"));
  CHECK_THAT(r.out, !Catch::Contains("run.go:"));  // kubectl's klog prefix is left out
  CHECK(*git.head("manifests", "qa") == before);

  test::HoistRun ok = test::run_hoist(bump_args(git, kNewTag), git_env(git));  // a good edit still lands
  INFO(ok.out << ok.err);
  CHECK(ok.code == 0);
  CHECK(*git.head("manifests", "qa") != before);
}

TEST_CASE("hoist bump --plan without kustomize or kubectl says so and shows the values diff only", "[render][bump]") {
  test::GitServer git;
  git.create_repo("manifests", {{"qa", shop_files()}});
  auto args = bump_args(git, kNewTag);
  args.push_back("--plan");
  auto env = git_env(git);
  env["PATH"] = "/nonexistent";
  test::HoistRun r = test::run_hoist(args, env);
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("+    newTag: \"1.1.0\""));
  CHECK_THAT(r.out, Catch::Contains("cannot render kustomize overlays/qa: neither kustomize nor kubectl is on PATH; "
                                    "showing the values diff only"));
  CHECK_THAT(r.out, !Catch::Contains("object changes"));

  env.erase("PATH");
  env["HOIST_RENDER"] = "off";
  test::HoistRun off = test::run_hoist(args, env);
  CHECK(off.code == 0);
  CHECK_THAT(off.out, !Catch::Contains("rendered kustomize"));
  CHECK_THAT(off.out, !Catch::Contains("cannot render"));
}

TEST_CASE("hoist bump on an overlay that is already broken at the tip says so and does not refuse", "[render][bump]") {
  test::require_kustomize();
  test::GitServer git;
  test::RepoFiles files = shop_files();
  std::string& overlay = files["overlays/qa/kustomization.yaml"];
  overlay.replace(overlay.find("count: 2"), 8, "count: two");
  git.create_repo("manifests", {{"qa", files}});
  const std::string before = *git.head("manifests", "qa");
  test::HoistRun r = test::run_hoist(bump_args(git, kNewTag), git_env(git));
  INFO(r.out << r.err);
  CHECK(r.code == 0);
  const std::string out = step_lines(r.out);
  CHECK_THAT(out, Catch::Contains("kustomize overlays/qa does not render at the branch tip ("));
  CHECK_THAT(out, Catch::Contains("showing the values diff only: "));
  CHECK_THAT(out, !Catch::Contains("object changes"));
  CHECK(*git.head("manifests", "qa") != before);  // the bump landed: it did not break anything that worked
}
