// The `run` step kind: hands the command to bash through the ProcessRunner, collects $HOIST_OUTPUT, and turns how
// the process ended into the step's failure message.
#include "steps/run/run_step.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "runner/util/duration.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/whole_file.hpp"

namespace hoist {
namespace {

// A temporary file for $HOIST_OUTPUT, removed when the step ends.
class OutputFile {
 public:
  OutputFile() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hoist-output-XXXXXX").string();
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw Error("cannot create a temporary file for $HOIST_OUTPUT");
    ::close(fd);
    path_ = tmpl;
  }
  ~OutputFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  const std::string& path() const { return path_; }
  std::string read() const { return read_whole_file(path_).value_or(""); }

 private:
  std::string path_;
};

ProcessSpec shell_spec(const StepContext& ctx) {
  ProcessSpec spec;
  spec.argv = {"bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", ctx.run};
  spec.env = ctx.env;
  spec.working_dir = ctx.working_dir;
  spec.deadline = ctx.deadline;
  return spec;
}

class RunStep : public StepKind {
 public:
  std::string name() const override { return "run"; }

  void validate(const Step&, const std::string&, Diagnostics&) const override {
    // The loader checks `run` itself; a run step has no `with`.
  }

  OutputSpec outputs() const override { return {{"exit_code"}, true}; }

  void plan(StepContext& ctx) const override {
    std::string where = ctx.working_dir.empty() ? "" : " in " + ctx.working_dir;
    ctx.print("would run" + where + ":", OutputStream::out);
    std::istringstream lines(ctx.run);
    for (std::string line; std::getline(lines, line);) ctx.print("  " + line, OutputStream::out);
    for (const auto& [name, _] : ctx.step.env) ctx.print("with " + name + "=" + ctx.env[name], OutputStream::out);
  }

  void apply(StepContext& ctx) const override {
    OutputFile output_file;
    ProcessSpec spec = shell_spec(ctx);
    spec.env["HOIST_OUTPUT"] = output_file.path();
    ProcessResult result = ctx.processes.run(spec, ctx.print, ctx.cancel);
    // As a shell reports it: 128 + N when killed by signal N.
    ctx.outputs["exit_code"] = std::to_string(result.signal != 0 ? 128 + result.signal : result.exit_code);
    std::exception_ptr failure = failure_of(ctx, result);
    try {
      for (auto& [k, v] : parse_output_file(output_file.read())) ctx.outputs[k] = v;
    } catch (const Error&) {
      if (!failure) throw;  // the command's own failure is the more useful message
    }
    if (failure) std::rethrow_exception(failure);
  }

 private:
  // How the command failed, as the exception the step throws; null when it succeeded.
  static std::exception_ptr failure_of(const StepContext& ctx, const ProcessResult& result) {
    if (result.timed_out) {
      std::string limit = ctx.step.timeout ? " after " + format_duration(*ctx.step.timeout) : "";
      return std::make_exception_ptr(TimeoutError("timed out" + limit + "; its process group was killed"));
    }
    if (result.cancelled)
      return std::make_exception_ptr(Error("interrupted; its process group was killed", ExitCode::interrupted));
    if (result.signal != 0) {
      const char* name = ::sigabbrev_np(result.signal);
      return std::make_exception_ptr(
          Error("killed by " + (name ? "SIG" + std::string(name) : "signal " + std::to_string(result.signal))));
    }
    if (result.exit_code != 0)
      return std::make_exception_ptr(Error("command exited with code " + std::to_string(result.exit_code)));
    return nullptr;
  }
};

bool valid_output_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

std::map<std::string, std::string> parse_output_file(std::string_view text) {
  std::map<std::string, std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto heredoc = line.find("<<");
    auto eq = line.find('=');
    if (heredoc != std::string::npos && (eq == std::string::npos || heredoc < eq)) {
      std::string name = line.substr(0, heredoc);
      std::string delim = line.substr(heredoc + 2);
      if (!valid_output_name(name) || delim.empty())
        throw Error("$HOIST_OUTPUT line " + std::to_string(line_no) + ": expected NAME<<DELIMITER");
      std::string value, body;
      bool closed = false, first = true;
      while (std::getline(in, body)) {
        ++line_no;
        if (!body.empty() && body.back() == '\r') body.pop_back();
        if (body == delim) {
          closed = true;
          break;
        }
        if (!first) value += "\n";
        value += body;
        first = false;
      }
      if (!closed) throw Error("$HOIST_OUTPUT: output '" + name + "' is missing its closing '" + delim + "'");
      out[name] = value;
      continue;
    }
    if (eq == std::string::npos || !valid_output_name(line.substr(0, eq)))
      throw Error("$HOIST_OUTPUT line " + std::to_string(line_no) + ": expected NAME=VALUE");
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

std::unique_ptr<StepKind> make_run_step() { return std::make_unique<RunStep>(); }

}  // namespace hoist
