#pragma once
// The security check of the test harness: look for test credentials in text a test captured and in every file under
// a directory tree, and for credentials in the remote URLs of git config files. A credential may leak in other
// spellings than its own: percent-encoded in a URL, or base64-encoded in a Basic auth header that landed in a git
// config or a log; credential_secrets() lists those. Findings never print a credential: the excerpt shows the
// secret's label in its place and stars over any other secret nearby.
//
// known_secrets.hpp applies this to the whole suite; find_leaks() below is the direct form for one test.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hoist::test {

struct Secret {
  std::string label;  // what it is, e.g. "git server password (base64 of user:password)"; never the value
  std::string value;
};

struct Leak {
  std::string where;    // "hoist bump stderr", "/tmp/hoist-test-x/cache/config"
  std::string what;     // the secret's label, or the rule broken ("remote URL with a password")
  std::string excerpt;  // redacted: "...url = http://u:<git server password>@127.0.0.1..."
  std::string describe() const { return where + ": " + what + ": " + excerpt; }
};

// The password itself, its percent-encoded form (when different), base64 of "user:password" (when there is a user)
// and of the password alone (cut to the part that does not depend on its neighbours). Forms shorter than 6 characters are left out.
std::vector<Secret> credential_secrets(const std::string& label, const std::string& username,
                                       const std::string& password);

// Every occurrence of every secret in `text`, named `where`.
std::vector<Leak> scan_text(const std::vector<Secret>& secrets, const std::string& where, std::string_view text);

// Every regular file under `root` (symlinks not followed) except those in `inputs`, read in full: the secrets, and
// in a git config file (`config` beside a `HEAD`) any remote URL carrying a password or an Authorization header.
// Every git repository under `root` also has its objects (compressed on disk) read through `git cat-file`.
std::vector<Leak> scan_tree(const std::vector<Secret>& secrets, const std::filesystem::path& root,
                            const std::set<std::filesystem::path>& inputs = {});

// The older direct form, kept for tests that name their credentials: one line per finding,
// "stderr: contains credential #1" (credentials named by index). Empty when clean.
std::vector<std::string> credential_forms(const std::string& username, const std::string& password);
std::vector<std::string> find_leaks(const std::vector<std::string>& credentials,
                                    const std::map<std::string, std::string>& outputs,
                                    const std::vector<std::filesystem::path>& trees);

}  // namespace hoist::test
