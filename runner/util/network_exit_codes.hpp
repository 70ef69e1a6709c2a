#pragma once
// Exit codes of commands that talk to a registry directly (hoist image digest), beside those of exit_code.hpp:
// whether the server answered "no such thing" or did not answer at all. Kept out of exit_code.hpp (included
// everywhere) on purpose; docs/DESIGN.md lists them with the others.

#include "runner/util/exit_code.hpp"

namespace hoist {

inline constexpr ExitCode kExitNotFound = static_cast<ExitCode>(4);     // the registry answered: no such image
inline constexpr ExitCode kExitUnreachable = static_cast<ExitCode>(5);  // no answer after the retries (DNS,
                                                                         // refused, reset, TLS handshake, stalled)

}  // namespace hoist
