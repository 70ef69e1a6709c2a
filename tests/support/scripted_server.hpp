#pragma once
// The part RegistryServer and GitServer share: start a server through its scripts/start-* script (the one source of
// truth, also used by scripts/demo), read the env file it writes, and always stop it again through
// scripts/stop-servers, falling back to SIGKILL. Destroying the object stops the server, even when a test failed.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace hoist::test {

class ScriptedServer {
 public:
  // Runs HOIST_SOURCE_DIR/scripts/SCRIPT DIR ARGS... with DIR a fresh temporary directory; KIND names its files
  // (DIR/KIND.env, DIR/KIND.pid). Throws std::runtime_error with the script's output (and so the server's log)
  // when the server does not come up.
  ScriptedServer(const std::string& script, const std::string& kind, const std::vector<std::string>& args);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path env_file() const { return dir_ / (kind_ + ".env"); }
  // A value from the env file; throws when the key is missing.
  const std::string& value(const std::string& key) const;
  // The server and, if any, its watchdog.
  const std::vector<int>& pids() const { return pids_; }
  // The server's log, for failure messages.
  std::string log() const;

  // Stops the server now (the destructor then has nothing left to do). Never throws.
  void stop() noexcept;

 private:
  TempDir dir_;
  std::string kind_;
  std::map<std::string, std::string> env_;
  std::vector<int> pids_;
  bool stopped_ = false;
};

// Reads a KEY=VALUE file (blank lines and # comments skipped).
std::map<std::string, std::string> read_env_file(const std::filesystem::path& file);

// A random lowercase hex string of `bytes` bytes, from /dev/urandom.
std::string random_hex(size_t bytes);

}  // namespace hoist::test
