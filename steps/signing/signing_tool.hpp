#pragma once
// Running a signing program (ssh-keygen, gpg): the text to sign goes to its stdin, the signature comes from its
// stdout. It runs under a deadline, so a program waiting for a passphrase that nobody can type fails instead of
// hanging Hoist, and its failure is told by its last line on stderr. The program is found in the PATH of the
// environment it is given; a missing one is named ("cannot run 'gpg': command not found").

#include <string>
#include <string_view>

#include "runner/process/process.hpp"

namespace hoist {

struct SigningToolRun {
  std::string tool;        // "ssh-keygen", "gpg"
  ProcessResult result;
  std::string out;         // stdout, each line ending in "\n"
  std::string last_error;  // the last non-empty line on stderr
};

// Runs SPEC (argv[0] is the tool) with a deadline of 30 s. Throws LaunchError when the tool cannot be started.
SigningToolRun run_signing_tool(ProcessRunner& runner, ProcessSpec spec);

// Runs SPEC and returns the signature it printed, which must hold ARMOR ("-----BEGIN SSH SIGNATURE-----"). Throws
// hoist::Error FAILED + why ("cannot sign X with KEY: " + "gpg exited with 2: ...") otherwise.
std::string signature_from_tool(ProcessRunner& runner, const ProcessSpec& spec, std::string_view armor,
                                const std::string& failed);

// "ssh-keygen exited with 255: Load key \"k\": No such file or directory", "gpg did not finish within 30s", ...
std::string describe_failure(const SigningToolRun& run);

}  // namespace hoist
