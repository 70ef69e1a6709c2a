#include "runner/cli/pipeline_commands.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>

#include "runner/cli/args.hpp"
#include "runner/cli/builtin_kinds.hpp"
#include "runner/exec/executor.hpp"
#include "runner/exec/signals.hpp"
#include "runner/pipeline/builtins.hpp"
#include "runner/pipeline/pipeline_check.hpp"
#include "runner/pipeline/pipeline_loader.hpp"
#include "runner/process/subprocess.hpp"
#include "runner/report/dotenv.hpp"
#include "runner/report/hub.hpp"
#include "runner/report/json.hpp"
#include "runner/report/junit.hpp"
#include "runner/report/text.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/join.hpp"
#include "runner/util/plural.hpp"
#include "runner/util/whole_file.hpp"
#include "steps/git/local_checkout.hpp"
#include "steps/notify/hooks.hpp"
#include "steps/notify/promotion_hooks.hpp"
#include "steps/gate/policy.hpp"
#include "steps/promote/promote_step.hpp"

namespace hoist {
namespace {

const ArgSpec kRunSpec{{"--plan"}, {"--var", "--only", "--output", "--junit", "--dotenv", "--jobs"}};
const ArgSpec kPlanSpec{{}, {"--var", "--only", "--output", "--junit", "--dotenv", "--jobs"}};
const ArgSpec kValidateSpec{{"--policy"}, {"--var"}};

std::map<std::string, std::string> overrides_from(const Args& args) {
  std::map<std::string, std::string> out;
  for (const auto& arg : args.values("--var")) {
    auto [name, value] = parse_assignment(arg);
    out.insert_or_assign(name, value);
  }
  return out;
}

// Phase 1 and 2: load the file and check it whole; every problem at once, or a pipeline that can run.
// Linting (`hoist validate`, `hoist ci`) needs no run-time values: variables that could be given at run time are
// listed in `given_at_run_time` rather than refused, and nothing is resolved (`vars` stays empty).
struct Loaded {
  Pipeline pipeline;
  std::unique_ptr<Variables> vars;
  std::set<std::string> given_at_run_time;
};

enum class Purpose { run, lint };

Loaded load_and_validate(const std::string& file, const std::map<std::string, std::string>& overrides,
                         const Console& console, Purpose purpose = Purpose::run) {
  const StepRegistry& kinds = builtin_kinds();
  Diagnostics diags;
  Loaded l;
  l.pipeline = load_pipeline_file(file, kinds, diags);
  auto builtins = detect_builtins(console.env, console.cwd, read_local_checkout);
  std::set<std::string> defined;
  auto add_names = [&defined](const std::map<std::string, std::string>& m) {
    for (const auto& [name, _] : m) defined.insert(name);
  };
  add_names(overrides);
  add_names(builtins);
  add_names(console.env);
  check_pipeline(l.pipeline, kinds, defined, diags, purpose == Purpose::lint ? &l.given_at_run_time : nullptr);
  if (!diags.empty()) throw DiagnosticsError(std::move(diags));
  if (purpose == Purpose::lint) return l;
  // Phase 3: resolve every variable now, so nothing starts with a value that cannot be computed.
  l.vars = std::make_unique<Variables>(l.pipeline, overrides, std::move(builtins), console.env);
  return l;
}

void check_only(const Pipeline& p, const std::set<std::string>& only) {
  for (const auto& id : only)
    if (!p.find(id)) throw InputError("--only " + id + ": no step with that id in " + p.file);
}

int exit_code_of(const RunSummary& s) {
  if (s.interrupted) return to_int(ExitCode::interrupted);
  return to_int(s.ok() ? ExitCode::ok : ExitCode::step_failed);
}

}  // namespace

int execute(const Pipeline& pipeline, const Variables& vars, const ExecutorOptions& options, const Args& args,
            Console& console) {
  // Phase 4: the reporters, all behind one hub that masks every secret.
  SecretMasker masker;
  vars.add_secrets_to(masker, pipeline.secrets);
  ReporterHub hub(masker);
  const std::string output = args.value("--output").value_or("text");
  if (output == "json")
    hub.add(std::make_unique<JsonLinesReporter>(console.out));
  else
    hub.add(std::make_unique<TextReporter>(console.out, choose_text_style(console.stdout_is_tty, console.env)));
  if (auto junit = args.value("--junit")) hub.add(std::make_unique<JunitReporter>(*junit));
  if (auto dotenv = args.value("--dotenv")) hub.add(std::make_unique<DotenvReporter>(*dotenv));

  // Phase 5: execute, with Ctrl-C and SIGTERM turned into an orderly stop.
  CancelToken interrupt;
  InterruptGuard guard(interrupt);
  PosixProcessRunner processes;
  Executor executor(pipeline, builtin_kinds(), vars, processes, hub, interrupt, options);
  RunSummary summary = executor.run();

  // Phase 6: the pipeline-level notify hooks: on_success or on_failure for the run, then on_promotion for each
  // promote step that moved an environment. A failed one is reported; it fails the run only with on_error: fail.
  int code = exit_code_of(summary);
  auto account = [&code](const std::vector<NotificationResult>& results) {
    for (const auto& n : results)
      if (n.fails_run && code == to_int(ExitCode::ok)) code = to_int(ExitCode::step_failed);
  };
  try {
    account(run_notify_hooks(pipeline, summary, vars, hub, interrupt));
    if (summary.mode == Mode::apply && !summary.interrupted)
      for (const auto& step : summary.steps)
        if (auto notice = promotion_notice(step)) {
          notice->pipeline_url = vars.get("PIPELINE_URL").value_or("");
          account(post_promotion_hooks(pipeline.notify, *notice, run_resolver(summary, vars), hub, interrupt));
        }
  } catch (const Error& e) {
    if (e.code() != ExitCode::interrupted) throw;
    code = to_int(ExitCode::interrupted);
  }
  return code;
}

const ArgSpec& run_arg_spec(bool plan) { return plan ? kPlanSpec : kRunSpec; }
const ArgSpec& validate_arg_spec() { return kValidateSpec; }

int run_single_step(const std::string& command, const std::string& name, const std::string& step_id,
                    const std::string& kind, YAML::Node with, const Args& args, Console& console) {
  check_output_flag(args, command);
  Pipeline pipeline;
  pipeline.file = "hoist " + command;
  pipeline.name = name;
  Step step;
  step.id = step_id;
  step.kind = kind;
  step.loc = Location{pipeline.file, 0, 0};
  step.with.reset(with);
  pipeline.steps.push_back(step);

  Diagnostics diags;
  builtin_kinds().find(kind)->validate(pipeline.steps.front(), pipeline.file, diags);
  if (!diags.empty()) throw DiagnosticsError(std::move(diags));

  Variables vars(pipeline, {}, detect_builtins(console.env, console.cwd, read_local_checkout), console.env);
  ExecutorOptions options;
  options.mode = args.flag("--plan") ? Mode::plan : Mode::apply;
  options.jobs = 1;
  return execute(pipeline, vars, options, args, console);
}

void check_output_flag(const Args& args, const std::string& command) {
  const std::string output = args.value("--output").value_or("text");
  if (output != "text" && output != "json")
    throw InputError("hoist " + command + ": --output must be text or json, got '" + output + "'");
}

int run_command(const std::vector<std::string>& argv, bool plan, Console& console) {
  const std::string command = plan ? "plan" : "run";
  Args args(argv, run_arg_spec(plan), command);
  if (args.positional().size() != 1)
    throw InputError("hoist " + command + ": give exactly one pipeline file (hoist " + command + " PIPELINE)");
  ExecutorOptions options;
  options.mode = plan || args.flag("--plan") ? Mode::plan : Mode::apply;
  for (const auto& id : args.values("--only")) options.only.insert(id);
  if (auto jobs = args.value("--jobs")) {
    // The whole value, digits only: "4x" or " 4" is not 4.
    const char* end = jobs->data() + jobs->size();
    auto [stop, ec] = std::from_chars(jobs->data(), end, options.jobs);
    if (ec != std::errc() || stop != end || options.jobs < 1) throw InputError("hoist " + command + ": --jobs must be a positive number, got '" + *jobs + "'");
  }
  check_output_flag(args, command);
  Loaded loaded = load_and_validate(args.positional()[0], overrides_from(args), console);
  check_only(loaded.pipeline, options.only);

  return execute(loaded.pipeline, *loaded.vars, options, args, console);
}

// `hoist validate --policy FILE...`: a manifest repository's hoist.yaml, checked before it is committed.
void validate_policies(const std::vector<std::string>& files, Console& console, Diagnostics& all) {
  for (const auto& file : files) {
    std::optional<std::string> text = read_whole_file(file);
    if (!text) {
      all.add(Location{file, 0, 0}, "cannot read policy file: " + std::string(std::strerror(errno)));
      continue;
    }
    Diagnostics diags;
    promote::Policy policy = promote::load_policy(*text, file, diags);
    if (diags.empty()) console.out << file << ": ok (" << counted(policy.environments.size(), "environment") << ")\n";
    for (const auto& d : diags.items()) all.add(d.loc, d.message);
  }
}

int validate_command(const std::vector<std::string>& argv, Console& console) {
  Args args(argv, kValidateSpec, "validate");
  const bool policy = args.flag("--policy");
  if (args.positional().empty())
    throw InputError(policy ? "hoist validate --policy: give one or more policy files"
                            : "hoist validate: give one or more pipeline files");
  Diagnostics all;
  if (policy) {
    validate_policies(args.positional(), console, all);
    if (!all.empty()) throw DiagnosticsError(std::move(all));
    return to_int(ExitCode::ok);
  }
  auto overrides = overrides_from(args);
  for (const auto& file : args.positional()) {
    try {
      Loaded l = load_and_validate(file, overrides, console, Purpose::lint);
      console.out << file << ": ok (" << counted(l.pipeline.steps.size(), "step");
      if (!l.given_at_run_time.empty())
        console.out << "; given at run time: "
                    << join(std::vector<std::string>(l.given_at_run_time.begin(), l.given_at_run_time.end()), ", ");
      console.out << ")\n";
    } catch (const DiagnosticsError& e) {
      for (const auto& d : e.diagnostics().items()) all.add(d.loc, d.message);
    }
  }
  if (!all.empty()) throw DiagnosticsError(std::move(all));
  return to_int(ExitCode::ok);
}

std::vector<Pipeline> check_pipelines(const std::vector<std::string>& files, const Console& console) {
  Diagnostics all;
  std::vector<Pipeline> pipelines;
  for (const auto& file : files) {
    try {
      pipelines.push_back(load_and_validate(file, {}, console, Purpose::lint).pipeline);
    } catch (const DiagnosticsError& e) {
      for (const auto& d : e.diagnostics().items()) all.add(d.loc, d.message);
    }
  }
  if (!all.empty()) throw DiagnosticsError(std::move(all));
  return pipelines;
}

}  // namespace hoist
