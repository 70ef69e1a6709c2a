#pragma once
// The suite-wide leak check (issue 7: no credential in any output, file, URL or git config of the whole test suite).
//
// One ledger per test process holds the secrets the test servers hand out (ScriptedServer registers every
// *_PASSWORD, *_TOKEN, *_SECRET of a server's env file and the private keys it names; tests register their own
// tokens and webhook secrets), the files that hold a secret on purpose (a server's env file, a docker config.json
// or credentials file a test wrote for Hoist to read), and every output the test support captured (run_command,
// run_hoist, recorded logs and reports). Every TempDir is scanned when it is removed; the captured outputs when the
// test case ends, where tests/support/leak_listener.cpp fails the test case with each finding. Secrets stay known
// for the life of the process: one test's credential must not turn up in a later test's files either.
//
// Thread-safe: servers and log sinks call in from their own threads.

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/leak_check.hpp"

namespace hoist::test {

// A secret and the forms it may leak in (credential_secrets: plain, percent-encoded, base64 with `username`).
void add_credential(const std::string& label, const std::string& username, const std::string& password);
// A secret taken as it is (a token, a webhook path, a line of key material).
void add_secret(const std::string& label, const std::string& value);
// Every base64 line of a private key file but the first (whose bytes are a fixed header), as secrets; the file
// itself becomes an input.
void add_private_key(const std::string& label, const std::filesystem::path& key_file);

// A file that holds a secret on purpose, as an input to Hoist or a server's own state: the scan skips exactly this
// path. Register it before the TempDir holding it is removed.
void add_secret_input(const std::filesystem::path& file);

// Output the test support captured, checked when the test case ends. `name` says where it came from
// ("hoist bump stderr"), never the command's arguments.
void capture_output(const std::string& name, std::string text);

// Scans a tree about to be removed (TempDir's destructor); findings wait for the end of the test case.
void check_tree_before_removal(const std::filesystem::path& root) noexcept;

// Scans the captured outputs, then returns every finding of the test case so far and forgets them and the outputs.
std::vector<Leak> take_leaks();

}  // namespace hoist::test
