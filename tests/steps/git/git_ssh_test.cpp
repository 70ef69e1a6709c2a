// Manifest bumps over ssh against a real OpenSSH server on loopback (scripts/start-ssh-server): a key file, the
// ssh-agent, and the host key checked against known_hosts (an unknown host is refused).
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>

#include "tests/support/command.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/scripted_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;
using namespace hoist::test;
namespace fs = std::filesystem;

namespace {

const std::string kValues = "image:\n  repository: registry.example.com/shop/api\n  tag: \"1.0.0\"  # by CI\n";

// A bare repository "m.git" on the ssh server, with branch qa holding api/qa.values.yaml.
std::string seed_repo(const ScriptedServer& ssh) {
  fs::path repo = fs::path(ssh.value("HOIST_TEST_SSH_REPOS")) / "m.git";
  TempDir work;
  auto git = [&](std::vector<std::string> args) {
    CommandResult r = run_command(git_command(std::move(args)));
    REQUIRE(r.ok());
  };
  git({"init", "-q", "--bare", "--initial-branch=qa", repo.string()});
  git({"init", "-q", "--initial-branch=qa", work.path().string()});
  fs::create_directories(work / "api");
  std::ofstream(work / "api/qa.values.yaml") << kValues;
  git({"-C", work.path().string(), "add", "-A"});
  git({"-C", work.path().string(), "commit", "-qm", "seed"});
  git({"-C", work.path().string(), "push", "-q", repo.string(), "qa"});
  return ssh.value("HOIST_TEST_SSH_URL") + "/m.git";
}

std::string qa_file(const ScriptedServer& ssh) {
  fs::path repo = fs::path(ssh.value("HOIST_TEST_SSH_REPOS")) / "m.git";
  CommandResult r = run_command(git_command({"--git-dir", repo.string(), "show", "qa:api/qa.values.yaml"}));
  return r.out;
}

// A HOME whose ~/.ssh/known_hosts is `known_hosts` (libgit2 checks host keys against it).
struct Home {
  TempDir dir;
  explicit Home(const std::string& known_hosts) {
    fs::create_directories(dir / ".ssh");
    fs::copy_file(known_hosts, dir / ".ssh/known_hosts");
  }
};

}  // namespace

TEST_CASE("bump over ssh with a key file, host key checked", "[git][ssh]") {
  ScriptedServer ssh("start-ssh-server", "ssh", {});
  std::string url = seed_repo(ssh);
  Home home(ssh.value("HOIST_TEST_SSH_KNOWN_HOSTS"));
  HoistRun r = run_hoist({"bump", "--repo", url, "--branch", "qa", "--file", "api/qa.values.yaml", "--set",
                          "image.tag=1.1.0", "--ssh-key", ssh.value("HOIST_TEST_SSH_KEY")},
                         {{"HOME", home.dir.path().string()}});
  INFO(r.out << r.err << ssh.log());
  REQUIRE(r.code == 0);
  CHECK(qa_file(ssh) == "image:\n  repository: registry.example.com/shop/api\n  tag: \"1.1.0\"  # by CI\n");
}

TEST_CASE("bump over ssh through the ssh-agent", "[git][ssh]") {
  ScriptedServer ssh("start-ssh-server", "ssh", {});
  std::string url = seed_repo(ssh);
  Home home(ssh.value("HOIST_TEST_SSH_KNOWN_HOSTS"));
  fs::path sock = home.dir / "agent.sock";
  Command start_agent;
  start_agent.argv = {"ssh-agent", "-a", sock.string()};
  CommandResult agent = run_command(start_agent);
  REQUIRE(agent.ok());
  auto pid_at = agent.out.find("SSH_AGENT_PID=");
  REQUIRE(pid_at != std::string::npos);
  int agent_pid = std::stoi(agent.out.substr(pid_at + 14));
  struct StopAgent {
    int pid;
    ~StopAgent() { ::kill(pid, SIGTERM); }
  } stop{agent_pid};
  Command add;
  add.argv = {"ssh-add", "-q", ssh.value("HOIST_TEST_SSH_KEY")};
  add.set_env = {{"SSH_AUTH_SOCK", sock.string()}};
  REQUIRE(run_command(add).ok());
  HoistRun r = run_hoist({"bump", "--repo", url, "--branch", "qa", "--file", "api/qa.values.yaml", "--set",
                          "image.tag=1.2.0"},
                         {{"HOME", home.dir.path().string()}, {"SSH_AUTH_SOCK", sock.string()}});
  INFO(r.out << r.err << ssh.log());
  REQUIRE(r.code == 0);
  CHECK_THAT(qa_file(ssh), Catch::Contains("tag: \"1.2.0\""));
}

TEST_CASE("an ssh host missing from known_hosts is refused and nothing is pushed", "[git][ssh]") {
  ScriptedServer ssh("start-ssh-server", "ssh", {});
  std::string url = seed_repo(ssh);
  TempDir empty_home;
  fs::create_directories(empty_home / ".ssh");
  std::ofstream(empty_home / ".ssh/known_hosts") << "";
  HoistRun r = run_hoist({"bump", "--repo", url, "--branch", "qa", "--file", "api/qa.values.yaml", "--set",
                          "image.tag=9.9.9", "--ssh-key", ssh.value("HOIST_TEST_SSH_KEY")},
                         {{"HOME", empty_home.path().string()}});
  INFO(r.out << r.err);
  CHECK(r.code == 1);
  CHECK_THAT(r.all(), Catch::Contains("ssh host key is not in ~/.ssh/known_hosts"));
  CHECK_THAT(r.all(), Catch::Contains(url));  // ssh://USER@127.0.0.1:PORT/...: the account is no secret
  CHECK_THAT(qa_file(ssh), Catch::Contains("tag: \"1.0.0\""));
}
