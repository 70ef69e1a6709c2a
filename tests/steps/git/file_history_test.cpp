// file_history: which first-parent commits changed a path, and the `wanted` filter that lets a caller skip commits
// by their message without reading trees (the bump's "newer" check, steps/manifest/older_bump.cpp). A repository
// made with the git command line, read with libgit2.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "steps/git/file_history.hpp"
#include "steps/git/libgit2.hpp"
#include "tests/support/command.hpp"
#include "tests/support/process_helpers.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;

namespace {

std::string run_git(const std::string& dir, std::vector<std::string> args) {
  Command c = git_command(std::move(args));
  c.working_dir = dir;
  CommandResult r = run_command(c);
  INFO(r.err);
  REQUIRE(r.ok());
  return r.out;
}

std::string commit_all(const std::string& dir, const std::string& message) {
  run_git(dir, {"add", "-A"});
  run_git(dir, {"commit", "-q", "--allow-empty", "-m", message});
  std::string id = run_git(dir, {"rev-parse", "HEAD"});
  return id.substr(0, id.find('\n'));
}

std::vector<std::string> summaries(const std::vector<CommitInfo>& commits) {
  std::vector<std::string> out;
  for (const auto& c : commits) out.push_back(c.summary);
  return out;
}

}  // namespace

TEST_CASE("file_history: the commits that changed a path, newest first, and `wanted` skips commits by their message", "[git]") {
  TempDir dir;
  const std::string d = dir.path().string();
  run_git(d, {"init", "-q", "-b", "qa"});
  std::filesystem::create_directories(dir.path() / "api");
  std::filesystem::create_directories(dir.path() / "web");
  write_text(d + "/api/qa.values.yaml", "tag: 1\n");
  write_text(d + "/web/qa.values.yaml", "tag: 1\n");
  commit_all(d, "import");
  write_text(d + "/web/qa.values.yaml", "tag: 2\n");
  commit_all(d, "web: 2\n\nHoist-Image-Digest: sha256:web2");  // records a build, but not api's file
  write_text(d + "/api/qa.values.yaml", "tag: 2\n");
  commit_all(d, "api: 2\n\nHoist-Image-Digest: sha256:api2");
  commit_all(d, "empty\n\nHoist-Image-Digest: sha256:none");  // changes nothing
  write_text(d + "/api/qa.values.yaml", "tag: 3 # by hand\n");
  commit_all(d, "api: by hand");
  run_git(d, {"rm", "-q", "api/qa.values.yaml"});
  const std::string tip = commit_all(d, "api: removed\n\nHoist-Image-Digest: sha256:gone");

  libgit2_init();
  auto repo = git_make<git_repository>("open", git_repository_open, d.c_str());
  CHECK(summaries(file_history(repo.get(), tip, "api/qa.values.yaml")) ==
        std::vector<std::string>{"api: removed", "api: by hand", "api: 2", "import"});
  CHECK(summaries(file_history(repo.get(), tip, "api/qa.values.yaml", 2)) ==
        std::vector<std::string>{"api: removed", "api: by hand"});
  CHECK(summaries(file_history(repo.get(), tip, "web/qa.values.yaml")) ==
        std::vector<std::string>{"web: 2", "import"});

  // Only commits with a Hoist trailer are looked at; of those, only the ones that changed the path are returned
  // (not "web: 2", not "empty"), exactly as the unfiltered walk would have listed them.
  const auto recorded = [](const CommitInfo& c) { return c.trailer("Hoist-Image-Digest").has_value(); };
  CHECK(summaries(file_history(repo.get(), tip, "api/qa.values.yaml", 0, recorded)) ==
        std::vector<std::string>{"api: removed", "api: 2"});
  CHECK(file_history(repo.get(), tip, "api/qa.values.yaml", 0, recorded).back().trailer("Hoist-Image-Digest") ==
        "sha256:api2");
  CHECK(summaries(file_history(repo.get(), tip, "web/qa.values.yaml", 0, recorded)) ==
        std::vector<std::string>{"web: 2"});
  CHECK(file_history(repo.get(), tip, "nowhere.yaml", 0, recorded).empty());
}
