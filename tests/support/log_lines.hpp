#pragma once
// Collects the log lines a client writes (the registry client's `debug`, the git client's `log`), thread-safe, and
// hands them to the suite-wide leak check (known_secrets.hpp) when it goes away.

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/known_secrets.hpp"

namespace hoist::test {

struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;

  LogLines() = default;
  LogLines(const LogLines&) = delete;
  LogLines& operator=(const LogLines&) = delete;
  ~LogLines() { capture_output("client log", all()); }

  std::function<void(std::string_view)> fn() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
  }
  std::function<void(std::string_view)> logger() { return fn(); }
  std::string all() {
    std::lock_guard lock(mutex);
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
  }
};

}  // namespace hoist::test
