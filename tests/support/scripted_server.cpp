// Starting and stopping test servers through the project's scripts (see scripted_server.hpp).
#include "tests/support/scripted_server.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/command.hpp"
#include "tests/support/known_secrets.hpp"

#ifndef HOIST_SOURCE_DIR
#error "HOIST_SOURCE_DIR must name the source tree (set by CMakeLists.txt for the test binary)"
#endif

namespace hoist::test {
namespace {

std::filesystem::path script_path(const std::string& name) {
  return std::filesystem::path(HOIST_SOURCE_DIR) / "scripts" / name;
}

// True when the command line of PID mentions DIR: it is one of ours, not a stranger that reused the pid.
bool owned_by(int pid, const std::filesystem::path& dir) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return cmdline.find(dir.string()) != std::string::npos;
}

// Makes what the server handed out known to the leak check (known_secrets.hpp): each *_PASSWORD, *_TOKEN and
// *_SECRET (with the *_USERNAME beside it), and each private key file a *_KEY names. The env file holds them on
// purpose and is an input.
void register_secrets(const std::string& kind, const std::filesystem::path& env_file,
                      const std::map<std::string, std::string>& env) {
  add_secret_input(env_file);
  for (const auto& [key, value] : env) {
    const auto cut = key.rfind('_');
    if (value.empty() || cut == std::string::npos) continue;
    const std::string stem = key.substr(0, cut), suffix = key.substr(cut + 1);
    if (suffix == "PASSWORD" || suffix == "TOKEN" || suffix == "SECRET") {
      auto user = env.find(stem + "_USERNAME");
      add_credential(kind + " server " + key, user == env.end() ? "" : user->second, value);
    } else if (suffix == "KEY" && std::filesystem::is_regular_file(value)) {
      add_private_key(kind + " server " + key, value);
    }
  }
}

int read_pid(const std::filesystem::path& file) {
  std::ifstream in(file);
  int pid = 0;
  return in >> pid && pid > 1 ? pid : 0;
}

}  // namespace

std::map<std::string, std::string> read_env_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::map<std::string, std::string> values;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

std::string random_hex(size_t bytes) {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  std::string raw(bytes, '\0');
  if (!urandom.read(raw.data(), static_cast<std::streamsize>(bytes))) {
    throw std::runtime_error("cannot read /dev/urandom");
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

ScriptedServer::ScriptedServer(const std::string& script, const std::string& kind,
                               const std::vector<std::string>& args)
    : dir_("hoist-" + kind), kind_(kind) {
  Command start;
  start.argv = {script_path(script).string(), dir_.path().string()};
  start.argv.insert(start.argv.end(), args.begin(), args.end());
  // If this test process dies without running destructors, the script's watchdog stops the server.
  start.set_env["HOIST_TEST_SERVER_OWNER_PID"] = std::to_string(::getpid());
  try {
    CommandResult result = run_command(start);
    // Whatever the outcome, remember what runs, so stop() can end it.
    for (const auto& name : {kind_ + ".pid", kind_ + ".watchdog.pid"}) {
      if (int pid = read_pid(dir_ / name)) pids_.push_back(pid);
    }
    if (!result.ok()) {
      throw std::runtime_error("scripts/" + script + " failed (exit " + std::to_string(result.exit_code) +
                               "):\n" + result.err);
    }
    env_ = read_env_file(env_file());
    register_secrets(kind_, env_file(), env_);
  } catch (...) {
    stop();
    throw;
  }
}

ScriptedServer::~ScriptedServer() { stop(); }

const std::string& ScriptedServer::value(const std::string& key) const {
  auto it = env_.find(key);
  if (it == env_.end()) throw std::runtime_error(env_file().string() + " has no " + key);
  return it->second;
}

std::string ScriptedServer::log() const {
  std::ifstream in(dir_ / (kind_ + ".log"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void ScriptedServer::stop() noexcept {
  if (stopped_) return;
  stopped_ = true;
  try {
    Command stop_command;
    stop_command.argv = {script_path("stop-servers").string(), dir_.path().string()};
    run_command(stop_command);
  } catch (...) {
    // fall through to the kill below
  }
  // Whatever the script did, nothing we started may survive us.
  for (int pid : pids_)
    if (process_alive(pid) && owned_by(pid, dir_.path())) ::kill(pid, SIGKILL);
  // Until every thread has exited, the port is still open: a dying process whose main thread is already a zombie
  // has no command line left to tell whose it is, so wait for each pid we started (10 s at most), owned or not.
  for (int pid : pids_)
    for (int i = 0; i < 500 && process_alive(pid); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

}  // namespace hoist::test
