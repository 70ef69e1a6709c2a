// `hoist plan` == `hoist run`: a pipeline that builds and pushes an image on the example base and bumps a kustomize
// overlay with its tag and digest, planned and then run against the real registry and git server, both with
// `--output json`. What the plan listed is compared with what the run did:
//   registry  every blob the plan would upload is the one the run pushed, "from base" ones were mounted, "exists"
//             ones skipped; the manifest digest and tags the plan named are what the run put (read back by skopeo);
//   commits   the plan's "would commit to branch 'qa'" and its diff are the run's diff, and the commit on the server
//             changes exactly the diff's files with exactly its lines;
//   objects   the rendered object changes (`objects`, `rendered` as JSON) are the same data.
// Then the same again on the result: the plan says nothing would move, and the run moves nothing.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/support/command.hpp"
#include "tests/support/example_registry.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/render_tools.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kPipeline = R"(version: 1
name: shop
steps:
  - id: image
    uses: image/build
    with:
      base: ${REGISTRY}/base/runtime:1.4
      image: ${REGISTRY}/shop/api-gateway
      tags: ["${TAG}"]
      layers:
        - {src: app, dest: /app}
      entrypoint: ["/app/server"]
  - id: deploy-qa
    uses: manifest/bump
    needs: [image]
    with:
      repo: ${MANIFEST_REPO}
      branch: qa
      file: api-gateway/overlays/qa/kustomization.yaml
      set:
        images[0].newTag: "${TAG}"
        images[0].digest: "${steps.image.digest}"
      digest: ${steps.image.digest}
)";

const char* kOverlay = R"(apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-qa
resources:
  - ../../base
images:
  - name: registry.example.com/shop/api-gateway
    newTag: "1.0.0"
    digest: sha256:0000000000000000000000000000000000000000000000000000000000000000
)";

// One run of hoist with --output json, taken apart by step.
struct Report {
  int code = -1;
  std::map<std::string, std::vector<std::string>> lines;  // step -> what it printed on stdout
  std::map<std::string, json> outputs;                     // step -> its outputs
  std::map<std::string, std::set<std::string>> blobs;      // result ("pushed", "mounted", ...) -> digests
  std::string text;                                        // everything, for failure messages
};

Report parse(const test::HoistRun& r) {
  Report rep;
  rep.code = r.code;
  rep.text = r.out + r.err;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    json e = json::parse(line, nullptr, false);
    if (!e.is_object()) continue;
    const std::string event = e.value("event", "");
    if (event == "step_output" && e["stream"] == "stdout") rep.lines[e["step"]].push_back(e["line"]);
    if (event == "step_finished") rep.outputs[e["step"]] = e["outputs"];
    if (event == "blob") rep.blobs[e["result"]].insert(e["digest"]);
  }
  return rep;
}

// The plan's registry operations, from the image step's lines: "  would upload sha256:0123456789ab (1.2 KiB)".
std::map<std::string, std::set<std::string>> planned_blobs(const std::vector<std::string>& lines) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [word, result] : std::map<std::string, std::string>{
           {"  would upload ", "pushed"}, {"  from base    ", "mounted"}, {"  exists       ", "skipped"}})
    for (const auto& l : lines)
      if (l.rfind(word, 0) == 0) out[result].insert(l.substr(word.size(), l.find(' ', word.size()) - word.size()));
  return out;
}

// Full digests cut to the 12 hex digits the plan prints.
std::map<std::string, std::set<std::string>> shortened(const std::map<std::string, std::set<std::string>>& blobs) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [result, digests] : blobs)
    for (const auto& d : digests) out[result].insert(d.substr(0, std::string("sha256:").size() + 12));
  return out;
}

// The changed lines of a unified diff ('+'/'-' lines, without the ---/+++ headers), and the files it names.
std::vector<std::string> changed_lines(const std::vector<std::string>& diff) {
  std::vector<std::string> out;
  for (const auto& l : diff)
    if ((l[0] == '+' || l[0] == '-') && l.rfind("+++", 0) != 0 && l.rfind("---", 0) != 0) out.push_back(l);
  return out;
}

std::set<std::string> diff_files(const std::vector<std::string>& diff) {
  std::set<std::string> out;
  for (const auto& l : diff)
    if (l.rfind("+++ b/", 0) == 0) out.insert(l.substr(6));
  return out;
}

// The bump's diff as the step printed it: the lines after "would commit ..." (plan) or from "--- a/" on, up to
// "pushed ..." or the render's lines.
std::vector<std::string> bump_diff(const std::vector<std::string>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) {
    if (l.rfind("pushed ", 0) == 0 || l.rfind("rendered ", 0) == 0 || l.rfind("not rendered", 0) == 0) break;
    if (!out.empty() || l.rfind("--- a/", 0) == 0) out.push_back(l);
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("hoist plan == hoist run: registry operations, commit, files and rendered objects", "[cli][plan][render]") {
  test::require_kustomize();
  test::ExampleRegistry reg;
  test::GitServer git;
  git.create_repo("manifests", {{"qa",
                                 {{"api-gateway/base/kustomization.yaml", "resources:\n  - deployment.yaml\n"},
                                  {"api-gateway/base/deployment.yaml", test::kShopDeployment},
                                  {"api-gateway/overlays/qa/kustomization.yaml", kOverlay}}}});
  test::TempDir work;
  std::ofstream(work / "shop.yaml") << kPipeline;
  fs::create_directories(work / "app");
  std::ofstream(work / "app/server") << "#!/bin/sh\necho serving\n" << std::string(40000, 'x') << "\n";
  const std::map<std::string, std::string> env = {
      {"REGISTRY", reg.host()},
      {"REGISTRY_AUTH_FILE", reg.auth_file().string()},
      {"MANIFEST_REPO", git.url("manifests")},
      {"HOIST_GIT_USERNAME", git.username()},
      {"HOIST_GIT_PASSWORD", git.password()},
      {"HOIST_CACHE", work.file("cache")},
      {"HOME", work.path().string()},
      {"TAG", "1.1.0"},
      {"SOURCE_DATE_EPOCH", "1700000000"}};
  auto hoist = [&](const std::string& command) {
    return parse(test::run_hoist({command, "shop.yaml", "--output", "json"}, env, work.path().string()));
  };
  const std::string tip_before = *git.head("manifests", "qa");

  Report plan = hoist("plan");
  INFO("plan:\n" << plan.text);
  REQUIRE(plan.code == 0);
  CHECK(*git.head("manifests", "qa") == tip_before);  // the plan changed nothing
  Report run = hoist("run");
  INFO("run:\n" << run.text);
  REQUIRE(run.code == 0);

  {  // registry operations
    auto planned = planned_blobs(plan.lines["image"]);
    auto done = shortened(run.blobs);
    CHECK(planned["pushed"].size() >= 2);  // our layer and the config
    for (const char* result : {"pushed", "mounted", "skipped"}) {
      INFO(result);
      CHECK(planned[result] == done[result]);
    }
    CHECK(done.size() <= 3);  // nothing failed
    CHECK(plan.outputs["image"]["digest"] == run.outputs["image"]["digest"]);
    CHECK(plan.outputs["image"]["tags"] == run.outputs["image"]["tags"]);
    const std::string digest = run.outputs["image"]["digest"];
    CHECK_THAT(plan.text, Catch::Contains("would put manifest " + digest + " as "));
    CHECK(reg.inspect("shop/api-gateway:1.1.0")["Digest"] == digest);
  }

  {  // the commit and its files
    std::vector<std::string> planned = bump_diff(plan.lines["deploy-qa"]);
    CHECK_THAT(plan.text, Catch::Contains("would commit to branch 'qa' of " + git.url("manifests") + ":"));
    REQUIRE(!changed_lines(planned).empty());
    CHECK(planned == bump_diff(run.lines["deploy-qa"]));
    CHECK(plan.outputs["deploy-qa"]["changed"] == "true");
    CHECK(run.outputs["deploy-qa"]["changed"] == "true");

    // What the server got: one commit on the old tip, changing the plan's files by the plan's lines.
    const std::string commit = run.outputs["deploy-qa"]["commit"];
    CHECK(*git.head("manifests", "qa") == commit);
    test::Command parent = test::git_command({"--git-dir=" + git.repo_path("manifests").string(), "rev-parse",
                                              commit + "^"});
    CHECK(test::run_command(parent).out == tip_before + "\n");
    test::Command files = test::git_command({"--git-dir=" + git.repo_path("manifests").string(), "diff-tree",
                                             "--no-commit-id", "--name-only", "-r", commit});
    std::set<std::string> changed;
    for (const auto& f : split_lines(test::run_command(files).out)) changed.insert(f);
    CHECK(changed == diff_files(planned));
    test::Command diff = test::git_command({"--git-dir=" + git.repo_path("manifests").string(), "diff",
                                            tip_before, commit});
    CHECK(changed_lines(split_lines(test::run_command(diff).out)) == changed_lines(planned));
  }

  {  // rendered object changes
    REQUIRE(plan.outputs["deploy-qa"].contains("rendered"));
    CHECK(plan.outputs["deploy-qa"]["objects"] == "1 object changes: 1 Deployment");
    CHECK(plan.outputs["deploy-qa"]["objects"] == run.outputs["deploy-qa"]["objects"]);
    json planned = json::parse(plan.outputs["deploy-qa"]["rendered"].get<std::string>());
    json done = json::parse(run.outputs["deploy-qa"]["rendered"].get<std::string>());
    CHECK(planned == done);
    const std::string digest = run.outputs["image"]["digest"];
    CHECK_THAT(planned.dump(), Catch::Contains(digest));
  }

  {  // planned again after the run: nothing would move, and the run moves nothing
    Report plan2 = hoist("plan");
    INFO("plan 2:\n" << plan2.text);
    REQUIRE(plan2.code == 0);
    auto planned = planned_blobs(plan2.lines["image"]);
    CHECK(planned["pushed"].empty());
    CHECK(plan2.outputs["deploy-qa"]["changed"] == "false");
    Report run2 = hoist("run");
    INFO("run 2:\n" << run2.text);
    REQUIRE(run2.code == 0);
    CHECK(run2.blobs["pushed"].empty());
    CHECK(run2.outputs["deploy-qa"]["changed"] == "false");
    CHECK(*git.head("manifests", "qa") == run.outputs["deploy-qa"]["commit"]);
    CHECK(plan2.outputs["image"]["digest"] == run2.outputs["image"]["digest"]);
  }
}
