// Help, man page and bash completion: every dispatched command has help that names each of its options, the man
// page renders without warnings, and the completion script completes what it should when bash sources it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "runner/cli/cli.hpp"
#include "runner/cli/help.hpp"
#include "runner/cli/man_page.hpp"
#include "tests/support/command.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;

namespace {

test::CommandResult hoist_cli(std::vector<std::string> args, const std::string& input = "") {
  test::Command c;
  c.argv = {HOIST_BINARY};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.working_dir = HOIST_SOURCE_DIR;
  c.input = input;
  return test::run_command(c);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs `script` in bash after sourcing `hoist completion bash`, in `cwd`, with hoist on PATH.
std::string complete(const std::string& words, int cword, const std::string& cwd = HOIST_SOURCE_DIR) {
  test::Command c;
  c.argv = {"bash", "--noprofile", "--norc", "-c",
            "source <(\"$HOIST\" completion bash) || exit 9\n"
            "COMP_WORDS=(" + words + "); COMP_CWORD=" + std::to_string(cword) + "\n"
            "_hoist; echo \"${COMPREPLY[*]}\""};
  std::string bin_dir = std::filesystem::path(HOIST_BINARY).parent_path().string();
  c.set_env = {{"HOIST", HOIST_BINARY}, {"PATH", bin_dir + ":/usr/local/bin:/usr/bin:/bin"}};
  c.working_dir = cwd;
  auto r = test::run_command(c);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("help: every dispatched command has help naming each option it accepts, and only those", "[help]") {
  std::set<std::string> dispatched;
  for (const auto& cmd : dispatched_commands()) {
    if (cmd.hidden) continue;
    dispatched.insert(cmd.name);
    INFO("hoist " << cmd.name);
    const CommandHelp* help = find_command_help(cmd.name);
    REQUIRE(help);
    std::string text = command_help_text(*help);
    for (const auto& option : cmd.options) {
      INFO(option);
      CHECK(contains(text, option));
      CHECK(std::any_of(help->options.begin(), help->options.end(), [&](const auto& o) { return o.name == option; }));
    }
    for (const auto& o : help->options) {
      INFO("documented " << o.name);
      CHECK(std::find(cmd.options.begin(), cmd.options.end(), o.name) != cmd.options.end());
    }
    CHECK(contains(usage_text(), "  " + cmd.name + " "));
  }
  for (const auto& c : command_help()) {
    INFO("help for " << c.name);
    CHECK(dispatched.count(c.name));  // no help for a command that does not exist
  }
  CHECK(dispatched.count("run"));
  CHECK(dispatched.count("man"));
}

TEST_CASE("help: hoist COMMAND --help, hoist help COMMAND and hoist --help print the table's text", "[help]") {
  auto top = hoist_cli({"--help"});
  CHECK(top.exit_code == 0);
  CHECK(top.out == usage_text());
  for (const auto& c : command_help()) {
    INFO(c.name);
    auto a = hoist_cli({c.name, "--help"});
    CHECK(a.exit_code == 0);
    CHECK(a.out == command_help_text(c));
    auto b = hoist_cli({"help", c.name});
    CHECK(b.exit_code == 0);
    CHECK(b.out == a.out);
  }
  auto run = hoist_cli({"run", "--help"});
  CHECK(contains(run.out, "usage: hoist run PIPELINE [OPTION]...\n"));
  CHECK(contains(run.out, "  --output text|json  "));
  auto bad = hoist_cli({"help", "rnu"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "hoist: error: hoist help: unknown command 'rnu' (did you mean 'run'?)\n");
  auto unknown = hoist_cli({"valdate"});
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "unknown command 'valdate' (did you mean 'validate'?)"));
}

TEST_CASE("help: hoist man prints a man page that renders without warnings", "[help]") {
  auto r = hoist_cli({"man"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == man_page());
  CHECK(contains(r.out, "\n.TH HOIST 1 "));
  for (const char* section : {".SH NAME\n", ".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH COMMANDS\n",
                              ".SH EXIT STATUS\n"})
    CHECK(contains(r.out, section));
  test::Command which;
  which.argv = {"sh", "-c", "command -v groff"};
  INFO("groff is not installed: scripts/setup installs groff-base");
  REQUIRE(test::run_command(which).ok());
  test::Command groff;
  groff.argv = {"groff", "-man", "-Tutf8", "-ww", "-P-cbou"};  // plain text: no SGR, no overstrike
  groff.input = r.out;
  auto rendered = test::run_command(groff);
  CHECK(rendered.exit_code == 0);
  CHECK(rendered.err.empty());  // -ww: every warning on, and none printed
  CHECK(contains(rendered.out, "hoist run PIPELINE [OPTION]..."));
  for (const auto& c : command_help())
    for (const auto& o : c.options) {
      INFO(o.name);
      CHECK(contains(rendered.out, o.name));
    }
  CHECK(contains(rendered.out, "130"));
}

TEST_CASE("completion: bash completes commands, options, option values, pipeline files and step ids", "[help]") {
  CHECK(complete("hoist ru", 1) == "run");
  CHECK(complete("hoist v", 1) == "validate version");
  CHECK(complete("hoist run --o", 2) == "--only --output");
  CHECK(complete("hoist run pipelines/hello.yaml --output ''", 4) == "text json");
  CHECK(complete("hoist help pl", 2) == "plan");
  CHECK(complete("hoist completion ''", 2) == "bash");
  CHECK(complete("hoist validate pipelines/h", 2) == "pipelines/hello.yaml");
  CHECK(complete("hoist image ''", 2) == "build tag copy digest");
  CHECK(complete("hoist image t", 2) == "tag");
  CHECK(complete("hoist ci ''", 2) == "gitlab-child github-matrix");
  CHECK(complete("hoist ci gi", 2) == "gitlab-child github-matrix");
  CHECK(complete("hoist ci github-matrix --c", 3) == "--changed");
  CHECK(complete("hoist ci gitlab-child pipelines/h", 3) == "pipelines/hello.yaml");
  // --only: the step ids of the pipeline earlier on the line, read by `hoist __steps`.
  CHECK(complete("hoist run --var X=1 pipelines/hello.yaml --only ''", 6) == "lint unit greet tidy");
  CHECK(complete("hoist run --var X=1 pipelines/hello.yaml --only g", 6) == "greet");
  CHECK(complete("hoist plan --only u pipelines/hello.yaml", 3) == "");  // no pipeline before the cursor
  CHECK(complete("hoist run nope.yaml --only ''", 4) == "");
}

TEST_CASE("completion: hoist __steps prints step ids even of a pipeline with problems", "[help]") {
  test::TempDir dir;
  std::ofstream(dir.file("p.yaml")) << "version: 1\nsteps:\n  - id: a\n    run: x\n  - id: b\n    uses: nope\n";
  auto r = hoist_cli({"__steps", dir.file("p.yaml")});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "a\nb\n");
  CHECK(hoist_cli({"__steps", dir.file("missing.yaml")}).out.empty());
}
