// See promote_fixture.hpp.
#include "tests/support/promote_fixture.hpp"

#include "runner/subprocess.hpp"

namespace hoist::test {

HoistRun hoist_as(const std::string& user, const GitServer& git, const std::string& repo,
                  const std::vector<std::string>& args) {
  ProcessSpec spec;
  spec.argv = {HOIST_BINARY};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", "/tmp"}, {"CI", "true"},
              {"GITLAB_USER_LOGIN", user},           {"HOIST_MANIFEST_REPO", git.url(repo)},
              {"HOIST_GIT_USERNAME", git.username()}, {"HOIST_GIT_PASSWORD", git.password()}};
  spec.working_dir = HOIST_SOURCE_DIR;
  spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  HoistRun r;
  CancelToken never;
  auto res = PosixProcessRunner().run(spec, [&](std::string_view line, OutputStream s) {
    (s == OutputStream::out ? r.out : r.err) += std::string(line) + "\n";
  }, never);
  r.code = res.exit_code;
  return r;
}

}  // namespace hoist::test
