// `hoist ci gitlab-child`: the generated child pipeline runs under gitlab-ci-local (as a pipeline file of its own:
// gitlab-ci-local does not run `trigger: include: artifact`), one passing job per service; and bad pipelines are all
// reported at once with nothing written.
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "runner/cli/gitlab_child.hpp"
#include "tests/support/gitlab_ci_local.hpp"
#include "tests/support/read_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist::test;
namespace fs = std::filesystem;

namespace {

CommandResult hoist_in(const fs::path& cwd, std::vector<std::string> args) {
  Command c;
  c.argv = {HOIST_BINARY};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.set_env = {{"CI", "true"}};
  c.unset_env = {"GITLAB_CI", "BITBUCKET_BUILD_NUMBER", "GITHUB_ACTIONS"};
  c.working_dir = cwd.string();
  return run_command(c);
}

std::string service_pipeline(const std::string& name) {
  return "version: 1\nname: " + name + "\nsteps:\n"
         "  - id: test\n    run: echo \"ran " + name + " at ${COMMIT_SHORT_SHA}\"\n"
         "  - id: image\n    needs: [test]\n    run: echo \"digest=sha256:" + std::string(64, 'a') +
         "\" >> \"$HOIST_OUTPUT\"\n";
}

}  // namespace

TEST_CASE("hoist ci gitlab-child: the generated child pipeline runs one job per service under gitlab-ci-local",
          "[ci]") {
  const std::string problem = gitlab_ci_local_problem();
  INFO(problem);
  REQUIRE(problem.empty());

  TempDir dir;
  GitlabProject project(dir.path());
  project.write("README.md", "services\n");
  project.commit();
  project.mark_pushed();  // each service's files are new since: every job's rules: changes: holds
  const std::vector<std::string> services = {"billing", "api-gateway", "search"};
  std::vector<std::string> args = {"ci", "gitlab-child"};
  for (const auto& s : services) {
    project.write("services/" + s + "/pipeline.yaml", service_pipeline(s));
    args.push_back("services/" + s + "/pipeline.yaml");
  }
  args.insert(args.end(), {"--image", "registry.example.com/tools/hoist:1", "--output", ".gitlab-ci.yml"});
  CommandResult generated = hoist_in(project.path(), args);
  INFO(generated.out << generated.err);
  REQUIRE(generated.exit_code == 0);
  CHECK_THAT(generated.err, Catch::Contains("wrote .gitlab-ci.yml (3 jobs)"));
  const std::string yaml = read_file((project.path() / ".gitlab-ci.yml").string());
  INFO(yaml);
  CHECK_THAT(yaml, Catch::Contains("\"hoist:api-gateway\":\n  needs: []\n"));
  CHECK_THAT(yaml, Catch::Contains("entrypoint: [\"\"]"));
  CHECK_THAT(yaml, Catch::Contains("hoist run services/search/pipeline.yaml --junit hoist-reports/search.xml "
                                   "--dotenv hoist-reports/search.env"));
  // The same input makes the same file: job names are stable.
  CommandResult again = hoist_in(project.path(), {"ci", "gitlab-child", "services/billing/pipeline.yaml",
                                                  "services/api-gateway/pipeline.yaml",
                                                  "services/search/pipeline.yaml", "--image",
                                                  "registry.example.com/tools/hoist:1"});
  CHECK(again.out == yaml);

  const std::string sha = project.commit();
  CommandResult run = project.run({});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  for (const auto& s : services) {
    CHECK_THAT(run.out, Catch::Contains("PASS  hoist:" + s));
    CHECK_THAT(run.out, Catch::Contains("ran " + s + " at " + sha.substr(0, 8)));
    // Shell jobs run in the project, so the reports each job wrote are there.
    const fs::path reports = project.path() / "hoist-reports";
    CHECK_THAT(read_file((reports / (s + ".env")).string()), Catch::Contains("IMAGE_DIGEST=sha256:"));
    CHECK_THAT(read_file((reports / (s + ".xml")).string()),
               Catch::Contains("<testcase classname=\"" + s + "\" name=\"image\""));
  }
}

TEST_CASE("hoist ci gitlab-child: a push runs only the jobs whose paths it changed (rules: changes:)", "[ci]") {
  const std::string problem = gitlab_ci_local_problem();
  INFO(problem);
  REQUIRE(problem.empty());

  TempDir dir;
  GitlabProject project(dir.path());
  // billing names its paths; search's are derived from its script; api-gateway's from its working_dir.
  project.write("services/billing/pipeline.yaml",
                "version: 1\nname: billing\npaths: [\"services/billing/**\", \"charts/billing/*.yaml\"]\nsteps:\n"
                "  - id: test\n    run: echo \"ran billing\"\n");
  project.write("services/billing/src/main.go", "package main\n");
  project.write("services/search/pipeline.yaml",
                "version: 1\nname: search\nsteps:\n  - id: test\n    run: services/search/test.sh\n");
  project.write("services/search/test.sh", "#!/bin/sh\necho \"ran search\"\n");
  fs::permissions(project.path() / "services/search/test.sh", fs::perms::owner_exec, fs::perm_options::add);
  project.write("services/api-gateway/pipeline.yaml",
                "version: 1\nname: api-gateway\nsteps:\n  - id: test\n    working_dir: services/api-gateway/app\n"
                "    run: echo \"ran api-gateway\"\n");
  project.write("services/api-gateway/app/main.go", "package main\n");
  CommandResult generated = hoist_in(project.path(), {"ci", "gitlab-child", "services/billing/pipeline.yaml",
                                                      "services/search/pipeline.yaml",
                                                      "services/api-gateway/pipeline.yaml", "--output",
                                                      ".gitlab-ci.yml"});
  INFO(generated.out << generated.err);
  REQUIRE(generated.exit_code == 0);
  const std::string yaml = read_file((project.path() / ".gitlab-ci.yml").string());
  INFO(yaml);
  CHECK_THAT(yaml, Catch::Contains("\"hoist:billing\":\n  needs: []\n  rules:\n    - changes:\n"
                                   "        - \"services/billing/pipeline.yaml\"\n"
                                   "        - \"services/billing/**\"\n        - \"charts/billing/*.yaml\"\n  script:\n"));
  CHECK_THAT(yaml, Catch::Contains("    - changes:\n        - \"services/search/pipeline.yaml\"\n"
                                   "        - \"services/search/test.sh\"\n  script:\n"));
  CHECK_THAT(yaml, Catch::Contains("    - changes:\n        - \"services/api-gateway/pipeline.yaml\"\n"
                                   "        - \"services/api-gateway/app\"\n"
                                   "        - \"services/api-gateway/app/**/*\"\n  script:\n"));
  project.commit();
  project.mark_pushed();

  // A push that changes billing's chart and search's script: those two jobs run, api-gateway's does not.
  project.write("charts/billing/values.yaml", "replicas: 2\n");
  project.write("services/search/test.sh", "#!/bin/sh\necho \"ran search again\"\n");
  project.commit();
  CommandResult run = project.run({});
  INFO(run.out << run.err);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("PASS  hoist:billing"));
  CHECK_THAT(run.out, Catch::Contains("ran search again"));
  CHECK_THAT(run.out, !Catch::Contains("hoist:api-gateway"));
  CHECK_THAT(run.out, !Catch::Contains("ran api-gateway"));
}

TEST_CASE("hoist ci github-matrix: one entry per pipeline, or only those a change touched", "[ci]") {
  TempDir dir;
  fs::create_directories(dir / "services/billing");
  fs::create_directories(dir / "services/search");
  std::ofstream(dir / "services/billing/pipeline.yaml")
      << "version: 1\nname: billing\npaths: [\"services/billing/**\"]\nsteps:\n  - id: t\n    run: echo\n";
  std::ofstream(dir / "services/search/pipeline.yaml")
      << "version: 1\nname: search\nsteps:\n  - id: t\n    run: services/search/test.sh ${SEARCH_TOKEN}\n";
  const std::vector<std::string> both = {"ci", "github-matrix", "services/billing/pipeline.yaml",
                                         "services/search/pipeline.yaml"};
  CommandResult all = hoist_in(dir.path(), both);
  INFO(all.err);
  CHECK(all.exit_code == 0);
  CHECK(all.out == R"({"include":[{"name":"billing","pipeline":"services/billing/pipeline.yaml"},)"
                   R"({"name":"search","pipeline":"services/search/pipeline.yaml"}]})" "\n");

  std::ofstream(dir / "changed.txt") << "README.md\nservices/search/test.sh\n";
  std::vector<std::string> args = both;
  args.insert(args.end(), {"--changed", "changed.txt"});
  CommandResult some = hoist_in(dir.path(), args);
  CHECK(some.exit_code == 0);
  CHECK(some.out == R"({"include":[{"name":"search","pipeline":"services/search/pipeline.yaml"}]})" "\n");

  std::ofstream(dir / "changed.txt") << "docs/x.md\n";
  args.insert(args.end(), {"--output", "matrix.json"});
  CommandResult none = hoist_in(dir.path(), args);
  CHECK(none.exit_code == 0);
  CHECK(none.err == "hoist: wrote matrix.json (0 entries)\n");
  CHECK(read_file((dir / "matrix.json").string()) == "{\"include\":[]}\n");

  CommandResult missing = hoist_in(dir.path(), {"ci", "github-matrix", "services/billing/pipeline.yaml", "--changed",
                                                "nope.txt"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err == "hoist: error: --changed nope.txt: No such file or directory\n");
}

TEST_CASE("hoist ci gitlab-child reports every problem in every file at once and writes nothing", "[ci]") {
  TempDir dir;
  std::ofstream(dir / "good.yaml") << service_pipeline("good");
  std::ofstream(dir / "bad.yaml") << "version: 1\nname: bad\nsteps:\n  - id: a\n    uses: image/bulid\n"
                                     "  - id: b\n    needs: [nope]\n    run: echo\n";
  std::ofstream(dir / "worse.yaml") << "version: 7\nname: worse\nsteps: []\n";
  std::ofstream(dir / "good-again.yaml") << service_pipeline("good");

  CommandResult bad = hoist_in(dir.path(), {"ci", "gitlab-child", "good.yaml", "bad.yaml", "worse.yaml", "--output",
                                            "child.yml"});
  INFO(bad.out << bad.err);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "bad.yaml:5:11: unknown step kind 'image/bulid' (did you mean 'image/build'?)\n"
                   "bad.yaml:7:13: step 'b' needs unknown step 'nope'\n"
                   "worse.yaml:1:10: unsupported pipeline version 7 (this hoist reads version 1)\n"
                   "worse.yaml:3:8: 'steps' is empty\n");
  CHECK(bad.out.empty());
  CHECK_FALSE(fs::exists(dir / "child.yml"));

  CommandResult clash = hoist_in(dir.path(), {"ci", "gitlab-child", "good.yaml", "good-again.yaml"});
  CHECK(clash.exit_code == 2);
  CHECK_THAT(clash.err, Catch::Contains("good.yaml and good-again.yaml both make job hoist:good"));
  CHECK(clash.out.empty());

  CommandResult what = hoist_in(dir.path(), {"ci", "circle-config", "good.yaml"});
  CHECK(what.exit_code == 2);
  CHECK(what.err == "hoist: error: hoist ci: give what to generate: hoist ci gitlab-child PIPELINE... or hoist ci "
                    "github-matrix PIPELINE... [--changed FILE]\n");
}

TEST_CASE("gitlab child YAML: stable, sanitized job names and file names that survive YAML and the shell", "[ci]") {
  using hoist::ChildJob;
  CHECK(hoist::child_job_name({"pipelines/a.yaml", "api-gateway"}) == "hoist:api-gateway");
  CHECK(hoist::child_job_name({"pipelines/web shop.yaml", ""}) == "hoist:web-shop");  // the file's stem
  CHECK(hoist::child_job_name({"x.yaml", "shop/cart: v2"}) == "hoist:shop-cart--v2");
  CHECK(hoist::child_job_name_clashes({{"a.yaml", "x y"}, {"b.yaml", "x/y"}, {"c.yaml", "z"}}) ==
        std::vector<std::string>{"a.yaml and b.yaml both make job hoist:x-y"});

  const std::vector<ChildJob> jobs = {{"svc/it's \"odd\".yaml", "odd"}, {"svc/plain.yaml", "plain"}};
  const YAML::Node doc = YAML::Load(hoist::gitlab_child_yaml(jobs, std::nullopt, "hoist ci gitlab-child ..."));
  CHECK_FALSE(doc["default"]);  // no image: the runner's default
  REQUIRE(doc["hoist:odd"]);
  CHECK(doc["hoist:odd"]["needs"].IsSequence());
  CHECK(doc["hoist:odd"]["needs"].size() == 0);
  CHECK(doc["hoist:odd"]["script"][0].as<std::string>() ==
        "hoist run 'svc/it'\\''s \"odd\".yaml' --junit hoist-reports/odd.xml --dotenv hoist-reports/odd.env");
  CHECK(doc["hoist:odd"]["artifacts"]["reports"]["dotenv"].as<std::string>() == "hoist-reports/odd.env");
  CHECK(doc["hoist:plain"]["artifacts"]["reports"]["junit"].as<std::string>() == "hoist-reports/plain.xml");
  // The shell reads the quoted file name back exactly.
  const std::string quoted = "'svc/it'\\''s \"odd\".yaml'";
  Command printf;
  printf.argv = {"bash", "-c", "printf '%s' " + quoted};
  CommandResult echoed = run_command(printf);
  CHECK(echoed.out == "svc/it's \"odd\".yaml");
}
