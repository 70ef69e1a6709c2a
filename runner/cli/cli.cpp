#include "runner/cli/cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "runner/cli/args.hpp"
#include "runner/cli/bump_command.hpp"
#include "runner/cli/ci_command.hpp"
#include "runner/cli/completion.hpp"
#include "runner/cli/error_lines.hpp"
#include "runner/cli/help.hpp"
#include "runner/cli/image_command.hpp"
#include "runner/cli/man_page.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/cli/pipeline_commands.hpp"
#include "runner/process/process.hpp"
#include "runner/process/subprocess.hpp"
#include "runner/util/did_you_mean.hpp"
#include "runner/util/errors.hpp"
#include "steps/gate/gate.hpp"

namespace hoist {
namespace {

using Handler = int (*)(const std::vector<std::string>& args, Console& console);

// The dispatch table: every command hoist runs. Each one that is not hidden has an entry in the help table
// (runner/cli/help.cpp) that mentions every option of its ArgSpec; tests/runner/cli/help_test.cpp checks both.
struct CommandEntry {
  std::string name;
  Handler run;
  const ArgSpec* spec;  // the options it accepts; nullptr when it takes none
  bool hidden = false;  // internal (used by the completion script); not in --help
};

const ArgSpec kNoOptions{};

int version_command(const std::vector<std::string>&, Console& console) {
  console.out << "hoist " << HOIST_VERSION << "\n";
  return to_int(ExitCode::ok);
}

int help_command(const std::vector<std::string>& args, Console& console) {
  if (args.empty()) {
    console.out << usage_text();
    return to_int(ExitCode::ok);
  }
  if (args.size() > 1) throw InputError("hoist help: give at most one command");
  const CommandHelp* help = find_command_help(args[0]);
  if (!help) {
    std::vector<std::string> names;
    for (const auto& c : command_help()) names.push_back(c.name);
    throw InputError("hoist help: unknown command '" + args[0] + "'" + did_you_mean_suffix(args[0], names));
  }
  console.out << command_help_text(*help);
  return to_int(ExitCode::ok);
}

int man_command(const std::vector<std::string>& args, Console& console) {
  if (!args.empty()) throw InputError("hoist man: takes no arguments");
  console.out << man_page();
  return to_int(ExitCode::ok);
}

int completion_command(const std::vector<std::string>& args, Console& console) {
  if (args.size() != 1 || args[0] != "bash")
    throw InputError("hoist completion: give the shell: hoist completion bash (the only one supported)");
  console.out << bash_completion();
  return to_int(ExitCode::ok);
}

int steps_command(const std::vector<std::string>& args, Console& console) {
  if (args.size() == 1) print_step_ids(args[0], console.out);
  return to_int(ExitCode::ok);
}

// The manifest commands with their real outside world: the terminal, the registry, processes and the clock.
template <int (*Command)(const std::vector<std::string>&, Console&, ManifestDeps&)>
int with_manifest_deps(const std::vector<std::string>& args, Console& console) {
  std::unique_ptr<Prompt> prompt = make_terminal_prompt();
  std::unique_ptr<promote::ImageResolver> resolver = promote::make_registry_resolver();
  PosixProcessRunner processes;
  ManifestDeps deps{*prompt, *resolver, processes, promote::now_utc};
  return Command(args, console, deps);
}

const std::vector<CommandEntry>& dispatch_table() {
  static const std::vector<CommandEntry> table = {
      {"run", [](const auto& a, Console& c) { return run_command(a, false, c); }, &run_arg_spec(false)},
      {"plan", [](const auto& a, Console& c) { return run_command(a, true, c); }, &run_arg_spec(true)},
      {"validate", &validate_command, &validate_arg_spec()},
      {"bump", &bump_command, &bump_arg_spec()},
      {"promote", &with_manifest_deps<promote_command>, &manifest_arg_spec("promote")},
      {"rollback", &with_manifest_deps<rollback_command>, &manifest_arg_spec("rollback")},
      {"approve", &with_manifest_deps<approve_command>, &manifest_arg_spec("approve")},
      {"status", &with_manifest_deps<status_command>, &manifest_arg_spec("status")},
      {"history", &with_manifest_deps<history_command>, &manifest_arg_spec("history")},
      {"gate-status", &with_manifest_deps<gate_status_command>, &manifest_arg_spec("gate-status")},
      {"image", &image_command, &image_arg_spec()},
      {"ci", &ci_command, &ci_arg_spec()},
      {"version", &version_command, &kNoOptions},
      {"help", &help_command, &kNoOptions},
      {"man", &man_command, &kNoOptions},
      {"completion", &completion_command, &kNoOptions},
      {"__steps", &steps_command, &kNoOptions, true},
  };
  return table;
}

int dispatch(const std::vector<std::string>& argv, Console& console) {
  if (argv.empty()) {
    console.err << kErrorPrefix << "give a command\n\n" << usage_text();
    return to_int(ExitCode::bad_input);
  }
  if (argv[0] == "--help" || argv[0] == "-h") {
    console.out << usage_text();
    return to_int(ExitCode::ok);
  }
  const std::string command = argv[0] == "--version" ? "version" : argv[0];
  std::vector<std::string> rest(argv.begin() + 1, argv.end());
  const auto& table = dispatch_table();
  auto it = std::find_if(table.begin(), table.end(), [&](const CommandEntry& e) { return e.name == command; });
  if (it == table.end()) {
    std::vector<std::string> names;
    for (const auto& e : table)
      if (!e.hidden) names.push_back(e.name);
    throw InputError("unknown command '" + command + "'" + did_you_mean_suffix(command, names) + " (see hoist --help)");
  }
  if (!it->hidden && std::any_of(rest.begin(), rest.end(), [](const auto& a) { return a == "--help" || a == "-h"; })) {
    const CommandHelp* help = find_command_help(command);
    console.out << (help ? command_help_text(*help) : usage_text());
    return to_int(ExitCode::ok);
  }
  return it->run(rest, console);
}

}  // namespace

std::vector<DispatchedCommand> dispatched_commands() {
  std::vector<DispatchedCommand> out;
  for (const auto& e : dispatch_table()) {
    DispatchedCommand d{e.name, {}, e.hidden};
    if (e.spec) {
      d.options.insert(d.options.end(), e.spec->flags.begin(), e.spec->flags.end());
      d.options.insert(d.options.end(), e.spec->options.begin(), e.spec->options.end());
    }
    out.push_back(std::move(d));
  }
  return out;
}

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
    // Every problem at once, each on its own line and each an error like any other.
    std::cout.flush();
    std::cerr << error_lines(e.diagnostics());
    return to_int(e.code());
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << kErrorPrefix << e.what() << "\n";
    return to_int(e.code());
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << kErrorPrefix << e.what() << "\n";
    return to_int(ExitCode::step_failed);
  }
}

}  // namespace hoist
