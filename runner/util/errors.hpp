#pragma once
// Error tiers (after ccache): low-level code reports through return values or these exceptions; one catch in the
// CLI turns them into "hoist: error: ..." and the matching exit code. Messages never contain secrets.

#include <stdexcept>
#include <string>

#include "runner/util/diagnostics.hpp"
#include "runner/util/exit_code.hpp"

namespace hoist {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ExitCode code = ExitCode::step_failed)
      : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// A step's work ended because its `timeout` passed, and the message says so ("timed out after 2s; ..."): the
// executor then does not say it again.
class TimeoutError : public Error {
 public:
  using Error::Error;
};

// Bad input from the user: pipeline, flags, policy. Exit code 2.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(message, ExitCode::bad_input) {}
};

// Several input problems at once, each with its location.
class DiagnosticsError : public InputError {
 public:
  explicit DiagnosticsError(Diagnostics d) : InputError(d.format()), diagnostics_(std::move(d)) {}
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

}  // namespace hoist
