#pragma once
// `hoist run`, `hoist plan` and `hoist validate`: the pipeline driver, written as its phases
// (load, validate, resolve, execute, report).

#include <yaml-cpp/yaml.h>

#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "runner/pipeline/pipeline.hpp"

namespace hoist {

// What a command may touch of the outside world besides files and child processes.
struct Console {
  std::ostream& out;
  std::ostream& err;
  bool stdout_is_tty = false;
  std::map<std::string, std::string> env;  // the process environment
  std::string cwd;
};

class Args;
struct ArgSpec;
class Variables;
struct Pipeline;
struct ExecutorOptions;

// Phases 4 and 5 of every command that runs steps: reporters chosen by --output/--junit/--dotenv, then the executor.
// Returns the exit code.
int execute(const Pipeline& pipeline, const Variables& vars, const ExecutorOptions& options, const Args& args,
            Console& console);
// A command that is one step (hoist bump, hoist image ...): runs `with` as the only step, of kind `kind`, of a
// pipeline named `name` whose "file" is `command` (what messages cite), with the same checks, reporters, masking
// and exit codes as a pipeline run. --plan in `args` selects plan mode.
int run_single_step(const std::string& command, const std::string& name, const std::string& step_id,
                    const std::string& kind, YAML::Node with, const Args& args, Console& console);
// Throws InputError unless --output is text or json.
void check_output_flag(const Args& args, const std::string& command);

// The options each command accepts (the CLI's dispatch table lists them, the help tests check them).
const ArgSpec& run_arg_spec(bool plan);
const ArgSpec& validate_arg_spec();

int run_command(const std::vector<std::string>& args, bool plan, Console& console);
int validate_command(const std::vector<std::string>& args, Console& console);

// Loads and checks every file as `hoist validate` does (no --var, no run-time values needed): the pipelines in the
// order given, or every problem of every file at once as a DiagnosticsError.
std::vector<Pipeline> check_pipelines(const std::vector<std::string>& files, const Console& console);

}  // namespace hoist
