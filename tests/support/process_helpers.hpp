#pragma once
// Helpers for tests that run real processes: reading and writing small files, reading a pid a script wrote, and
// waiting for a pid to die (process_alive, in command.hpp, counts a zombie as dead: in a container nobody may reap a
// reparented grandchild).

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "tests/support/command.hpp"
#include "tests/support/temp_dir.hpp"

namespace hoist::test {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Waits (up to `limit`, a hang guard) for a script to write a pid into `path`; 0 if it never did.
inline pid_t wait_for_pid_file(const std::string& path, std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    std::string text = read_text(path);
    if (!text.empty() && text.back() == '\n') return static_cast<pid_t>(std::stol(text));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}

// True while `pid` exists and is not a zombie.
// Whether `pid` is dead within `limit` (signals are delivered asynchronously; this is a hang guard, not a timing
// assertion).
inline bool dies_within(pid_t pid, std::chrono::seconds limit = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (process_alive(pid)) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Kills a leftover process a test started, so a failing test does not leave sleeps behind.
inline void kill_if_alive(pid_t pid) {
  if (pid > 0 && process_alive(pid)) ::kill(pid, SIGKILL);
}

}  // namespace hoist::test
