// `hoist bump`'s command line (issue 13): each edit belongs to the --file before it and several files make one
// commit; --set splits at the first '=' outside brackets and quotes, so selectors work as in a pipeline file; a
// repeated single-valued option is an input error; values are literal (no ${...} expansion). End to end through
// the hoist binary against the real git smart-HTTP server.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "steps/yamledit/yamledit.hpp"
#include "tests/support/command.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using test::HoistRun;

namespace {

const std::string kBilling = "replicaCount: 2\nimage:\n  tag: b1\n";
const std::string kGateway = "replicaCount: 1\nimage:\n  tag: g1\n";
const std::string kKustomization =
    "resources: [deploy.yaml]\nimages:\n- name: registry.example.com/x/y\n  newTag: v1\n- name: other\n  newTag: o1\n";
const std::string kPod = "containers:\n- name: app\n  image: registry.example.com/x/y:v1\n- name: side\n  image: s:1\n";
const std::string kFlux = "image: registry.example.com/x/y:v1 # {\"$imagepolicy\": \"org-${organization}:app\"}\n";

std::map<std::string, std::string> git_env(const test::GitServer& git) {
  return {{"HOIST_GIT_USERNAME", git.username()}, {"HOIST_GIT_PASSWORD", git.password()}};
}

test::GitServer& seeded(test::GitServer& git) {
  git.create_repo("m", {{"qa",
                         {{"billing/qa.values.yaml", kBilling},
                          {"api-gateway/qa.values.yaml", kGateway},
                          {"app/kustomization.yaml", kKustomization},
                          {"app/pod.yaml", kPod},
                          {"app/flux.yaml", kFlux}}}});
  return git;
}

HoistRun bump(const test::GitServer& git, std::vector<std::string> args) {
  args.insert(args.begin(), {"bump", "--repo", git.url("m"), "--branch", "qa"});
  return test::run_hoist(args, git_env(git));
}

std::string git_out(const test::GitServer& git, std::vector<std::string> args) {
  args.insert(args.begin(), "--git-dir=" + git.repo_path("m").string());
  auto r = test::run_command(test::git_command(std::move(args)));
  REQUIRE(r.ok());
  return r.out;
}

}  // namespace

TEST_CASE("hoist bump: each edit belongs to the --file before it, and several files make one commit", "[bump]") {
  test::GitServer git;
  seeded(git);
  const std::string before = *git.head("m", "qa");
  HoistRun r = bump(git, {"--file", "billing/qa.values.yaml", "--set", "replicaCount=3", "--file",
                          "api-gateway/qa.values.yaml", "--set", "image.tag=abc", "--file", "billing/qa.values.yaml",
                          "--set", "image.tag=b2", "--digest", "sha256:" + std::string(64, 'd')});
  INFO(r.all());
  REQUIRE(r.code == 0);
  // A file named again gathers its edits.
  CHECK(git.read_file("m", "qa", "billing/qa.values.yaml") == "replicaCount: 3\nimage:\n  tag: b2\n");
  CHECK(git.read_file("m", "qa", "api-gateway/qa.values.yaml") == "replicaCount: 1\nimage:\n  tag: abc\n");
  CHECK(git.head("m", "qa~1") == before);
  CHECK(git_out(git, {"diff", "--name-only", before, "qa"}) == "api-gateway/qa.values.yaml\nbilling/qa.values.yaml\n");
  // One trailer group per file, in the order the files were first named.
  CHECK_THAT(git.message("m", "qa"),
             Catch::Contains("\nHoist-File: billing/qa.values.yaml\nHoist-Image-Digest: sha256:" + std::string(64, 'd') +
                             "\nHoist-File: api-gateway/qa.values.yaml\nHoist-Image-Digest: sha256:" +
                             std::string(64, 'd') + "\n"));
}

TEST_CASE("hoist bump: a repeated single-valued option or an edit before any --file is an input error", "[bump]") {
  test::GitServer git;
  seeded(git);
  const std::string before = *git.head("m", "qa");
  HoistRun twice = bump(git, {"--branch", "prod", "--file", "billing/qa.values.yaml", "--set", "replicaCount=3"});
  CHECK(twice.code == 2);
  CHECK(twice.err == "hoist: error: hoist bump: --branch given more than once ('qa' and 'prod'); give it once\n");
  HoistRun early = bump(git, {"--set", "replicaCount=3", "--file", "billing/qa.values.yaml"});
  CHECK(early.code == 2);
  CHECK(early.err == "hoist: error: hoist bump: --set 'replicaCount=3' comes before any --file; each edit belongs "
                     "to the --file before it\n");
  HoistRun bare = bump(git, {"--file", "billing/qa.values.yaml", "--file", "api-gateway/qa.values.yaml", "--set",
                             "image.tag=x"});
  CHECK(bare.code == 2);
  CHECK(bare.err == "hoist: error: hoist bump: give at least one edit after --file billing/qa.values.yaml: --set "
                    "KEY.PATH=VALUE, --image REPO:TAG or --marker NS:POLICY=VALUE\n");
  CHECK(git.head("m", "qa") == before);
}

TEST_CASE("hoist bump --set takes selectors with = / and . in their values, with the pipeline form's bytes",
          "[bump]") {
  test::GitServer git;
  seeded(git);
  HoistRun r = bump(git, {"--file", "app/kustomization.yaml", "--set", "images[name=registry.example.com/x/y].newTag=v2",
                          "--file", "app/pod.yaml", "--set", "containers[name=app].image=registry.example.com/x/y:v2"});
  INFO(r.all());
  REQUIRE(r.code == 0);
  // What the same key paths do in a pipeline file's `set:`.
  auto pipeline_form = [](const std::string& text, const std::string& path, const std::string& value) {
    return yamledit::apply_edits(text, {test::set(path, value)}, "f.yaml").text;
  };
  const std::string kustomization = *git.read_file("m", "qa", "app/kustomization.yaml");
  CHECK(kustomization == pipeline_form(kKustomization, "images[name=registry.example.com/x/y].newTag", "v2"));
  CHECK(kustomization ==
        "resources: [deploy.yaml]\nimages:\n- name: registry.example.com/x/y\n  newTag: v2\n- name: other\n  newTag: o1\n");
  const std::string pod = *git.read_file("m", "qa", "app/pod.yaml");
  CHECK(pod == pipeline_form(kPod, "containers[name=app].image", "registry.example.com/x/y:v2"));
  CHECK(pod == "containers:\n- name: app\n  image: registry.example.com/x/y:v2\n- name: side\n  image: s:1\n");
}

TEST_CASE("hoist bump takes command-line values literally: no ${...} expansion, $ stays", "[bump]") {
  test::GitServer git;
  seeded(git);
  HoistRun r = bump(git, {"--file", "billing/qa.values.yaml", "--set", "image.tag=${HOME}-$$-$${X}", "--file",
                          "app/flux.yaml", "--marker", "org-${organization}:app=registry.example.com/x/y:v9"});
  INFO(r.all());
  REQUIRE(r.code == 0);
  CHECK(git.read_file("m", "qa", "billing/qa.values.yaml") ==
        "replicaCount: 2\nimage:\n  tag: ${HOME}-$$-$${X}\n");
  CHECK(git.read_file("m", "qa", "app/flux.yaml") ==
        "image: registry.example.com/x/y:v9 # {\"$imagepolicy\": \"org-${organization}:app\"}\n");
  // An unknown ${NAME} is not an error either: it is just text.
  HoistRun unknown = bump(git, {"--file", "api-gateway/qa.values.yaml", "--set", "image.tag=${NOPE_NOT_SET}"});
  INFO(unknown.all());
  CHECK(unknown.code == 0);
  CHECK(git.read_file("m", "qa", "api-gateway/qa.values.yaml") ==
        "replicaCount: 1\nimage:\n  tag: ${NOPE_NOT_SET}\n");
}
