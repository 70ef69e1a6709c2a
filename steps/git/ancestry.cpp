// See ancestry.hpp.
#include "steps/git/ancestry.hpp"

#include <vector>

namespace hoist {
namespace {

// A commit id as git prints it: hex only, so nothing from a trailer is read by git as an option or a revision range.
bool is_commit_id(const std::string& id) {
  if (id.size() < 7 || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

int git(ProcessRunner& processes, const std::map<std::string, std::string>& env, const std::string& dir,
        std::vector<std::string> args) {
  ProcessSpec spec;
  spec.argv = {"git"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = env;
  spec.working_dir = dir;
  CancelToken never;
  try {
    ProcessResult r = processes.run(spec, [](std::string_view, OutputStream) {}, never);
    return r.signal == 0 && !r.timed_out && !r.cancelled ? r.exit_code : -1;
  } catch (const LaunchError&) {
    return -1;
  }
}

bool shallow(ProcessRunner& processes, const std::map<std::string, std::string>& env, const std::string& dir) {
  ProcessSpec spec;
  spec.argv = {"git", "rev-parse", "--is-shallow-repository"};
  spec.env = env;
  spec.working_dir = dir;
  std::string out;
  CancelToken never;
  try {
    ProcessResult r = processes.run(spec, [&](std::string_view line, OutputStream s) {
      if (s == OutputStream::out) out += line;
    }, never);
    return !r.ok() || out != "false";
  } catch (const LaunchError&) {
    return true;
  }
}

}  // namespace

std::optional<bool> git_is_ancestor(ProcessRunner& processes, const std::map<std::string, std::string>& env,
                                    const std::string& dir, const std::string& ancestor,
                                    const std::string& descendant) {
  if (!is_commit_id(ancestor) || !is_commit_id(descendant)) return std::nullopt;
  for (const auto& c : {ancestor, descendant})
    if (git(processes, env, dir, {"cat-file", "-e", c + "^{commit}"}) != 0) return std::nullopt;
  const int code = git(processes, env, dir, {"merge-base", "--is-ancestor", ancestor, descendant});
  if (code == 0) return true;
  // In a shallow clone "not an ancestor" may only mean the history that joins them was not fetched.
  if (code == 1 && !shallow(processes, env, dir)) return false;
  return std::nullopt;
}

}  // namespace hoist
