// The git server fixture (see git_server.hpp). Repositories are created and seeded with the git CLI's plumbing
// straight into the bare repository, so seeding needs neither a work tree nor the server.
#include "tests/support/git_server.hpp"

#include <stdexcept>

#include "tests/support/command.hpp"
#include "tests/support/temp_dir.hpp"

namespace hoist::test {
namespace {

// Runs git; throws with its stderr when it fails; returns stdout without the trailing newline.
std::string git_checked(Command command) {
  CommandResult result = run_command(command);
  if (!result.ok()) {
    std::string args;
    for (size_t i = 1; i < command.argv.size(); ++i) args += " " + command.argv[i];
    throw std::runtime_error("git" + args + " failed (exit " + std::to_string(result.exit_code) + "): " + result.err);
  }
  while (!result.out.empty() && result.out.back() == '\n') result.out.pop_back();
  return result.out;
}

Command git_in(const std::filesystem::path& repo, std::vector<std::string> args) {
  args.insert(args.begin(), "--git-dir=" + repo.string());
  return git_command(std::move(args));
}

}  // namespace

GitServer::GitServer(Scheme scheme)
    : server_("start-git-server", "git", scheme == Scheme::https ? std::vector<std::string>{"tls"} : std::vector<std::string>{}),
      host_(server_.value("HOIST_TEST_GIT_HOST")),
      base_url_(server_.value("HOIST_TEST_GIT_URL")),
      username_(server_.value("HOIST_TEST_GIT_USERNAME")),
      password_(server_.value("HOIST_TEST_GIT_PASSWORD")),
      ca_file_(server_.value("HOIST_TEST_GIT_CA_FILE")),
      repos_(server_.value("HOIST_TEST_GIT_REPOS")) {
  if (scheme == Scheme::https) {
    const std::string port = host_.substr(host_.rfind(':') + 1);
    host_ = "localhost:" + port;
    base_url_ = "https://" + host_;
  }
}

std::filesystem::path GitServer::repo_path(std::string_view name) const {
  return repos_ / (std::string(name) + ".git");
}

void GitServer::create_repo(const std::string& name, const RepoSeed& seed) {
  auto repo = repo_path(name);
  if (std::filesystem::exists(repo)) throw std::runtime_error("repository " + name + " already exists");
  git_checked(git_command({"init", "--quiet", "--bare", "--initial-branch=main", repo.string()}));
  // http-backend only accepts pushes to repositories that allow them explicitly.
  git_checked(git_in(repo, {"config", "http.receivepack", "true"}));
  for (const auto& [branch, files] : seed) commit(name, branch, files, "seed " + branch);
  if (!seed.empty() && !seed.contains("main")) {
    std::string head = seed.contains("master") ? "master" : seed.begin()->first;
    git_checked(git_in(repo, {"symbolic-ref", "HEAD", "refs/heads/" + head}));
  }
}

std::string GitServer::commit(const std::string& name, const std::string& branch, const RepoFiles& files,
                              const std::string& message) {
  auto repo = repo_path(name);
  if (!std::filesystem::exists(repo)) throw std::runtime_error("no repository " + name);
  TempDir scratch("hoist-git-index");
  auto with_index = [&](std::vector<std::string> args) {
    Command command = git_in(repo, std::move(args));
    command.set_env["GIT_INDEX_FILE"] = (scratch / "index").string();
    return command;
  };

  std::optional<std::string> parent = head(name, branch);
  if (parent) git_checked(with_index({"read-tree", *parent}));
  std::string index_info;
  for (const auto& [path, content] : files) {
    Command hash = git_in(repo, {"hash-object", "-w", "--stdin"});
    hash.input = content;
    index_info += "100644 blob " + git_checked(hash) + "\t" + path + "\n";
  }
  Command update = with_index({"update-index", "--add", "--index-info"});
  update.input = index_info;
  git_checked(update);
  std::string tree = git_checked(with_index({"write-tree"}));

  std::vector<std::string> commit_args = {"commit-tree", "-m", message};
  if (parent) commit_args.insert(commit_args.end(), {"-p", *parent});
  commit_args.push_back(tree);
  std::string id = git_checked(git_in(repo, commit_args));
  git_checked(git_in(repo, {"update-ref", "refs/heads/" + branch, id, parent.value_or(std::string(40, '0'))}));
  return id;
}

std::optional<std::string> GitServer::head(const std::string& name, const std::string& branch) const {
  CommandResult result = run_command(git_in(repo_path(name), {"rev-parse", "--verify", "--quiet",
                                                              "refs/heads/" + branch + "^{commit}"}));
  if (!result.ok()) return std::nullopt;
  while (!result.out.empty() && result.out.back() == '\n') result.out.pop_back();
  return result.out;
}

std::optional<std::string> GitServer::read_file(const std::string& name, const std::string& ref,
                                                const std::string& path) const {
  CommandResult result = run_command(git_in(repo_path(name), {"cat-file", "blob", ref + ":" + path}));
  if (!result.ok()) return std::nullopt;
  return result.out;
}

std::string GitServer::message(const std::string& name, const std::string& ref) const {
  return run_command(git_in(repo_path(name), {"log", "-1", "--format=%B", ref, "--"})).out;
}

std::map<std::string, std::string> GitServer::credential_env() const {
  return {
      {"GIT_CONFIG_COUNT", "1"},
      {"GIT_CONFIG_KEY_0", "credential.helper"},
      {"GIT_CONFIG_VALUE_0",
       "!f() { test \"$1\" = get && printf 'username=%s\\npassword=%s\\n' "
       "\"$HOIST_TEST_GIT_USERNAME\" \"$HOIST_TEST_GIT_PASSWORD\"; }; f"},
      {"HOIST_TEST_GIT_USERNAME", username_},
      {"HOIST_TEST_GIT_PASSWORD", password_},
  };
}

}  // namespace hoist::test
