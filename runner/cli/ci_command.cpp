// See ci_command.hpp.
#include "runner/cli/ci_command.hpp"

#include <cerrno>
#include <cstring>
#include <ostream>
#include <sstream>

#include "runner/cli/args.hpp"
#include "runner/cli/github_matrix.hpp"
#include "runner/cli/gitlab_child.hpp"
#include "runner/cli/pipeline_paths.hpp"
#include "runner/report/report_file.hpp"
#include "runner/util/diagnostics.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/plural.hpp"
#include "runner/util/whole_file.hpp"

namespace hoist {
namespace {

const ArgSpec kCiSpec{{}, {"--image", "--output", "--changed"}};

// Validates every pipeline first: one report of every problem in every file, and no half-written output.
std::vector<ChildJob> checked_jobs(const std::string& what, const std::vector<std::string>& files,
                                   Console& console) {
  if (files.empty()) throw InputError("hoist ci " + what + ": give one or more pipeline files");
  std::vector<ChildJob> jobs;
  for (const auto& pipeline : check_pipelines(files, console))
    jobs.push_back({pipeline.file, pipeline.name, pipeline_paths(pipeline)});
  Diagnostics clashes;
  for (const auto& clash : child_job_name_clashes(jobs))
    clashes.add(Location{files.front()}, "job names must be unique: " + clash + " (give each pipeline its own name)");
  if (!clashes.empty()) throw DiagnosticsError(std::move(clashes));
  return jobs;
}

// --changed FILE: the changed paths, one a line (`git diff --name-only BEFORE AFTER > FILE`).
std::vector<std::string> changed_paths(const std::string& file) {
  std::optional<std::string> text = read_whole_file(file);
  if (!text) throw InputError("--changed " + file + ": " + std::strerror(errno));
  std::vector<std::string> out;
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// To --output FILE (saying what it wrote: "1 job"), else to stdout.
void emit(const Args& args, Console& console, const std::string& text, const std::string& what) {
  if (auto output = args.value("--output")) {
    write_report_file(*output, text);
    console.err << "hoist: wrote " << *output << " (" << what << ")\n";
  } else {
    console.out << text;
  }
}

int gitlab_child(const Args& args, Console& console) {
  if (args.value("--changed")) throw InputError("hoist ci gitlab-child: --changed is for github-matrix (GitLab "
                                                "decides with rules: changes:)");
  std::vector<std::string> files(args.positional().begin() + 1, args.positional().end());
  const std::vector<ChildJob> jobs = checked_jobs("gitlab-child", files, console);
  std::string command_line = "hoist ci gitlab-child";
  for (const auto& f : files) command_line += " " + f;
  if (auto image = args.value("--image")) command_line += " --image " + *image;
  emit(args, console, gitlab_child_yaml(jobs, args.value("--image"), command_line), counted(jobs.size(), "job"));
  return to_int(ExitCode::ok);
}

int github_matrix(const Args& args, Console& console) {
  if (args.value("--image")) throw InputError("hoist ci github-matrix: --image is for gitlab-child");
  std::vector<std::string> files(args.positional().begin() + 1, args.positional().end());
  std::vector<ChildJob> jobs = checked_jobs("github-matrix", files, console);
  if (auto changed = args.value("--changed")) {
    const std::vector<std::string> paths = changed_paths(*changed);
    std::erase_if(jobs, [&](const ChildJob& job) { return !touches(job.paths, paths); });
  }
  emit(args, console, github_matrix_json(jobs), counted(jobs.size(), "entry", "entries"));
  return to_int(ExitCode::ok);
}

}  // namespace

const ArgSpec& ci_arg_spec() { return kCiSpec; }

int ci_command(const std::vector<std::string>& argv, Console& console) {
  Args args(argv, kCiSpec, "ci");
  const std::string what = args.positional().empty() ? "" : args.positional()[0];
  if (what == "gitlab-child") return gitlab_child(args, console);
  if (what == "github-matrix") return github_matrix(args, console);
  throw InputError("hoist ci: give what to generate: hoist ci gitlab-child PIPELINE... or hoist ci github-matrix "
                   "PIPELINE... [--changed FILE]");
}

}  // namespace hoist
