#pragma once
// The security check of the test harness: after a test run that used credentials, look for them in everything the
// run printed and in every file it wrote (its temp dir, its cache dir, the remote's repository). A credential may
// leak in other spellings than its own: percent-encoded in a URL, or base64-encoded in a Basic auth header that
// landed in a git config or a log; credential_forms() lists those.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace hoist::test {

// The password itself, its percent-encoded form (when different), and base64 of "user:password" and of the
// password alone.
std::vector<std::string> credential_forms(const std::string& username, const std::string& password);

// One line per finding: "stderr: contains credential #1", "cache/hoist-git/x/config: contains credential #0"
// (the credential is named by its index, so a failing test does not print it). `outputs` maps a name to captured
// text; every regular file under each of `trees` is read whole (symlinks are not followed). Empty when clean.
std::vector<std::string> find_leaks(const std::vector<std::string>& credentials,
                                    const std::map<std::string, std::string>& outputs,
                                    const std::vector<std::filesystem::path>& trees);

}  // namespace hoist::test
