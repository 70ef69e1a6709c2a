// See gitlab_ci_local.hpp.
#include "tests/support/gitlab_ci_local.hpp"

#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

namespace hoist::test {

namespace fs = std::filesystem;

std::string gitlab_ci_local_problem() {
  CommandResult version;
  try {
    Command c;
    c.argv = {"gitlab-ci-local", "--version"};
    version = run_command(c);
  } catch (const std::exception&) {
    return "gitlab-ci-local is not installed (scripts/setup installs it)";
  }
  if (!version.ok() || version.out.find(kGitlabCiLocalVersion) == std::string::npos)
    return "gitlab-ci-local " + std::string(kGitlabCiLocalVersion) + " is needed, found: " + version.out +
           version.err + " (scripts/setup installs it)";
  return {};
}

GitlabProject::GitlabProject(const fs::path& dir) : root_(dir / "project"), home_(dir / "home") {
  fs::create_directories(root_);
  fs::create_directories(home_);
  Command init = git_command({"init", "-q", "-b", "main"});
  init.working_dir = root_.string();
  if (!run_command(init).ok()) throw std::runtime_error("git init failed in " + root_.string());
}

void GitlabProject::copy_from_source(const std::string& from, const std::string& to) {
  fs::path target = root_ / to;
  fs::create_directories(target.parent_path());
  Command cp;
  cp.argv = {"cp", "-a", (fs::path(HOIST_SOURCE_DIR) / from).string(), target.string()};
  CommandResult r = run_command(cp);
  if (!r.ok()) throw std::runtime_error("cp " + from + ": " + r.err);
}

void GitlabProject::write(const std::string& path, const std::string& text) {
  fs::path target = root_ / path;
  fs::create_directories(target.parent_path());
  std::ofstream(target) << text;
}

std::string GitlabProject::commit() {
  for (auto args : {std::vector<std::string>{"add", "-A"}, std::vector<std::string>{"commit", "-q", "-m", "app"},
                    std::vector<std::string>{"rev-parse", "HEAD"}}) {
    Command c = git_command(args);
    c.working_dir = root_.string();
    CommandResult r = run_command(c);
    if (!r.ok()) throw std::runtime_error("git " + args[0] + " failed: " + r.err);
    if (args[0] == "rev-parse") return r.out.substr(0, 40);
  }
  return {};
}

void GitlabProject::set_variables(const std::map<std::string, std::string>& variables) {
  const fs::path file = root_ / ".gitlab-ci-local-variables.yml";
  {
    std::ofstream out(file);
    ::chmod(file.c_str(), 0600);
    for (const auto& [name, value] : variables) {
      std::string quoted;
      for (char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
      out << name << ": '" << quoted << "'\n";
    }
  }
}

CommandResult GitlabProject::run(const std::vector<std::string>& args) const {
  Command c;
  c.argv = {"gitlab-ci-local", "--force-shell-executor", "--no-color"};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  const std::string hoist_dir = fs::path(HOIST_BINARY).parent_path().string();
  c.set_env = {{"HOME", home_.string()}, {"PATH", hoist_dir + ":/usr/local/bin:/usr/bin:/bin"}, {"CI", "true"}};
  // Loopback only: no proxy may see the test servers; and no GitLab or Bitbucket variables of an outer CI job.
  c.unset_env = {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy", "GITLAB_CI",
                 "CI_COMMIT_SHA", "BITBUCKET_BUILD_NUMBER", "GITHUB_ACTIONS"};
  c.working_dir = root_.string();
  return run_command(c);
}

}  // namespace hoist::test
