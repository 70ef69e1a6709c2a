#pragma once
// The real ProcessRunner: posix_spawn into a new process group, stdout/stderr read line by line with poll(), and the
// whole group terminated (SIGTERM, a grace period, SIGKILL) on deadline or cancel. Tested against real processes in
// tests/runner/process/subprocess_test.cpp.

#include <chrono>

#include "runner/process/process.hpp"

namespace hoist {

class PosixProcessRunner : public ProcessRunner {
 public:
  // Between SIGTERM to the group and SIGKILL to the group.
  static constexpr std::chrono::milliseconds kKillGracePeriod{2000};
  // After the child exited normally, how long background processes that still hold its stdout/stderr may keep
  // writing before we stop reading (and close our ends; their next write gets SIGPIPE). They are not killed.
  static constexpr std::chrono::milliseconds kOutputDrainPeriod{2000};
  // Lines longer than this are delivered in pieces of this size, so a child writing without newlines cannot make
  // us buffer without bound.
  static constexpr std::size_t kMaxLineBytes = 64 * 1024;

  // See ProcessRunner::run. Throws hoist::Error when the child cannot be started: argv[0] not found in
  // spec.env's PATH ("cannot run 'NAME': command not found"), working_dir missing, or the spawn failing.
  ProcessResult run(const ProcessSpec& spec, const LineSink& on_line, const CancelToken& cancel) override;
};

}  // namespace hoist
