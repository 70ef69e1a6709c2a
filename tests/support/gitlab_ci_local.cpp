// See gitlab_ci_local.hpp.
#include "tests/support/gitlab_ci_local.hpp"

#include <sys/stat.h>

#include <fstream>
#include <set>
#include <stdexcept>

#include "tests/support/example_app.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/read_file.hpp"

namespace hoist::test {

namespace fs = std::filesystem;

namespace {

std::string yaml_quoted(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

// gitlab-ci-local's directories for file variables (always under /tmp, whatever TMPDIR says).
std::set<fs::path> file_variable_dirs() {
  std::set<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/tmp", ec))
    if (entry.path().filename().string().rfind("gitlab-ci-local-file-variables-", 0) == 0) out.insert(entry.path());
  return out;
}

// Whether every file in DIR holds one of VALUES: a copy of this project's file variables, not another run's.
bool holds_only(const fs::path& dir, const std::map<std::string, std::string>& values) {
  std::error_code ec;
  bool any = false;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file() || !values.count(entry.path().filename().string())) return false;
    if (read_file(entry.path().string()) != values.at(entry.path().filename().string())) return false;
    any = true;
  }
  return any && !ec;
}

}  // namespace

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
  hoist::test::copy_from_source(from, root_ / to);
}

void GitlabProject::set_origin(const std::string& url) {
  Command c = git_command({"remote", "add", "origin", url});
  c.working_dir = root_.string();
  if (!run_command(c).ok()) throw std::runtime_error("git remote add origin failed in " + root_.string());
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

void GitlabProject::mark_pushed() {
  Command c = git_command({"update-ref", "refs/remotes/origin/main", "HEAD"});
  c.working_dir = root_.string();
  if (!run_command(c).ok()) throw std::runtime_error("git update-ref failed in " + root_.string());
}

void GitlabProject::set_variables(const std::map<std::string, std::string>& variables,
                                  const std::map<std::string, std::string>& files) {
  const fs::path file = root_ / ".gitlab-ci-local-variables.yml";
  add_secret_input(file);  // the CI/CD settings: credentials live here on purpose
  std::ofstream out(file);
  ::chmod(file.c_str(), 0600);
  for (const auto& [name, value] : variables) out << name << ": " << yaml_quoted(value) << "\n";
  for (const auto& [name, value] : files)
    out << name << ":\n  type: file\n  values:\n    '*': " << yaml_quoted(value) << "\n";
  file_variables_ = files;
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
  const std::set<fs::path> before = file_variable_dirs();
  CommandResult result = run_command(c);
  if (!file_variables_.empty())
    for (const fs::path& dir : file_variable_dirs())
      if (!before.count(dir) && holds_only(dir, file_variables_)) fs::remove_all(dir);
  return result;
}

}  // namespace hoist::test
