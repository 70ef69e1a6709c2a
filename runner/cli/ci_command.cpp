// See ci_command.hpp.
#include "runner/cli/ci_command.hpp"

#include <ostream>

#include "runner/cli/args.hpp"
#include "runner/cli/gitlab_child.hpp"
#include "runner/report/report_file.hpp"
#include "runner/util/diagnostics.hpp"
#include "runner/util/errors.hpp"

namespace hoist {
namespace {

const ArgSpec kCiSpec{{}, {"--image", "--output"}};

int gitlab_child(const Args& args, Console& console) {
  std::vector<std::string> files(args.positional().begin() + 1, args.positional().end());
  if (files.empty()) throw InputError("hoist ci gitlab-child: give one or more pipeline files");

  // Validate everything first: one report of every problem in every file, and no half-written output.
  std::vector<ChildJob> jobs;
  std::vector<std::string> names = check_pipelines(files, console);
  for (size_t i = 0; i < files.size(); ++i) jobs.push_back({files[i], names[i]});
  Diagnostics clashes;
  for (const auto& clash : child_job_name_clashes(jobs))
    clashes.add(Location{files.front()}, "job names must be unique: " + clash + " (give each pipeline its own name)");
  if (!clashes.empty()) throw DiagnosticsError(std::move(clashes));

  std::string command_line = "hoist ci gitlab-child";
  for (const auto& f : files) command_line += " " + f;
  if (auto image = args.value("--image")) command_line += " --image " + *image;
  const std::string yaml = gitlab_child_yaml(jobs, args.value("--image"), command_line);
  if (auto output = args.value("--output")) {
    write_report_file(*output, yaml);
    console.err << "hoist: wrote " << *output << " (" << jobs.size() << (jobs.size() == 1 ? " job" : " jobs") << ")\n";
  } else {
    console.out << yaml;
  }
  return to_int(ExitCode::ok);
}

}  // namespace

const ArgSpec& ci_arg_spec() { return kCiSpec; }

int ci_command(const std::vector<std::string>& argv, Console& console) {
  Args args(argv, kCiSpec, "ci");
  if (args.positional().empty() || args.positional()[0] != "gitlab-child")
    throw InputError("hoist ci: give what to generate: hoist ci gitlab-child PIPELINE... (the only one supported)");
  return gitlab_child(args, console);
}

}  // namespace hoist
