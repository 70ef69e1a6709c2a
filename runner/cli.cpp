#include "runner/cli.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "runner/bump_command.hpp"
#include "runner/errors.hpp"
#include "runner/pipeline_commands.hpp"
#include "runner/process.hpp"

namespace hoist {
namespace {

constexpr const char* kUsage = R"(usage: hoist COMMAND [ARGS]

Build container images, bump manifest repositories and promote between environments, from declarative pipelines.

Commands:
  run PIPELINE       run a pipeline
      --var K=V          set a variable (repeatable; wins over vars, built-ins and the environment)
      --plan             resolve everything, change nothing, print what each step would do
      --only STEP        run only this step (repeatable)
      --jobs N           steps at once (default: number of cores)
      --output text|json progress as text (default) or one JSON object per line
      --junit FILE       write a JUnit XML report, one testcase per step
      --dotenv FILE      write step outputs as STEP_OUTPUT=value lines
  plan PIPELINE      the same as run --plan
  validate PIPELINE...   report every problem in the files, each as file:line:col (--var K=V accepted)
  validate --policy FILE...   the same for a manifest repository's policy file (hoist.yaml)
  bump --repo URL --branch B --file F EDIT... [--message M] [--author "N <E>"] [--digest D] [--plan]
                     set values in a manifest repository's file and push one commit (never forced)
      --set KEY.PATH=VALUE        a YAML key path: image.tag, images[name=web].newTag, containers[name=app].image
      --image REPO:TAG[@DIGEST]   every `image:` value whose repository is REPO
      --marker NS:POLICY[:FIELD]=VALUE   the value marked by a `# {"$imagepolicy": ...}` comment
      --create / --all            insert missing keys / allow a key path to match several places
      --cache-dir DIR             keep a bare mirror between runs (default $HOIST_CACHE)
      credentials: HOIST_GIT_USERNAME / HOIST_GIT_PASSWORD, else git's credential helpers, else ssh-agent
  version            print the version

Exit codes: 0 success, 1 a step failed, 2 bad input, 3 a gate refused, 130 interrupted.
)";

// Commands of docs/DESIGN.md that this build does not have yet.
const std::vector<std::string> kPlanned = {"image", "promote", "approve", "status", "history", "rollback"};

int dispatch(const std::vector<std::string>& argv, Console& console) {
  if (argv.empty() || argv[0] == "help" || argv[0] == "--help" || argv[0] == "-h") {
    (argv.empty() ? console.err : console.out) << kUsage;
    return argv.empty() ? to_int(ExitCode::bad_input) : to_int(ExitCode::ok);
  }
  const std::string& command = argv[0];
  std::vector<std::string> rest(argv.begin() + 1, argv.end());
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") {
      console.out << kUsage;
      return to_int(ExitCode::ok);
    }
  }
  if (command == "version" || command == "--version") {
    console.out << "hoist " << HOIST_VERSION << "\n";
    return to_int(ExitCode::ok);
  }
  if (command == "run") return run_command(rest, false, console);
  if (command == "plan") return run_command(rest, true, console);
  if (command == "validate") return validate_command(rest, console);
  if (command == "bump") return bump_command(rest, console);
  for (const auto& p : kPlanned)
    if (command == p) throw InputError("'" + command + "' is not available in this version of hoist yet");
  throw InputError("unknown command '" + command + "' (see hoist --help)");
}

}  // namespace

int cli_main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::error_code ec;
  Console console{std::cout, std::cerr, ::isatty(STDOUT_FILENO) == 1, current_environment(),
                  std::filesystem::current_path(ec).string()};
  try {
    int code = dispatch(args, console);
    std::cout.flush();
    return code;
  } catch (const DiagnosticsError& e) {
    std::cout.flush();
    std::cerr << e.diagnostics().format();
    return to_int(e.code());
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << "hoist: error: " << e.what() << "\n";
    return to_int(e.code());
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "hoist: error: " << e.what() << "\n";
    return to_int(ExitCode::step_failed);
  }
}

}  // namespace hoist
