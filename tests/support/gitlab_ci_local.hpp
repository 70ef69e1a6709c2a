#pragma once
// Running a .gitlab-ci.yml with gitlab-ci-local (the npm package, 4.73.0, installed by scripts/setup), so tests
// exercise Hoist inside a real GitLab CI interpreter: jobs run in the shell (--force-shell-executor, whatever their
// `image:`), with the hoist binary under test first in PATH. A project is a temporary git checkout holding the CI
// file and whatever its jobs need.
// 4.73.0 is the newest release that runs on Node.js 20 (see scripts/setup). It leaves a copy of each file variable
// under /tmp/gitlab-ci-local-file-variables-undefined-JOBID (readable by everyone); GitlabProject::run removes the
// ones its run left.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/command.hpp"

namespace hoist::test {

inline constexpr const char* kGitlabCiLocalVersion = "4.73.0";

// Empty when gitlab-ci-local kGitlabCiLocalVersion is installed; else what is wrong, naming scripts/setup.
std::string gitlab_ci_local_problem();

class GitlabProject {
 public:
  // Creates DIR/project (a git checkout on branch main) and DIR/home (gitlab-ci-local's HOME).
  explicit GitlabProject(const std::filesystem::path& dir);

  const std::filesystem::path& path() const { return root_; }
  // Copies FROM (a file or a directory, relative to the source tree) to TO inside the project.
  void copy_from_source(const std::string& from, const std::string& to);
  // The `origin` remote, which gitlab-ci-local derives CI_PROJECT_URL, CI_PROJECT_PATH and CI_PIPELINE_URL from
  // (without one it says https://gitlab.com/fallback.group/fallback.project).
  void set_origin(const std::string& url);
  void write(const std::string& path, const std::string& text);
  // Commits everything; returns the commit id (what CI_COMMIT_SHA will be).
  std::string commit();
  // Records HEAD as what the remote's default branch holds (refs/remotes/origin/main): gitlab-ci-local evaluates
  // `rules: changes:` as `git diff --name-only origin/main`, i.e. against it.
  void mark_pushed();
  // Project variables (.gitlab-ci-local-variables.yml, mode 0600: they may hold credentials), overriding the CI
  // file's `variables:` as GitLab's CI/CD settings do. Written after commit(), never committed. `files` are variables
  // of type File: the job sees a path to a file holding the value.
  void set_variables(const std::map<std::string, std::string>& variables,
                     const std::map<std::string, std::string>& files = {});

  // gitlab-ci-local --force-shell-executor --no-color ARGS... in the project.
  CommandResult run(const std::vector<std::string>& args) const;

 private:
  std::filesystem::path root_, home_;
  std::map<std::string, std::string> file_variables_;
};

}  // namespace hoist::test
