#pragma once
// Credentials in URLs (https://user:token@host/...). Built-in variables, log lines and error messages must never
// carry them, whether they came from a git remote, a CI variable or an error message of a library.

#include <string>
#include <string_view>

namespace hoist {

// "https://user:secret@example.com/x.git" -> "https://example.com/x.git". Any userinfo is removed, a user alone
// too (tokens are often passed as the user name). Strings without "scheme://" (scp-like "git@host:path", local
// paths) are returned unchanged.
std::string strip_url_userinfo(std::string_view url);

// Replaces the userinfo of every "scheme://userinfo@" found anywhere in free text by "********", e.g. in an error
// message: "cannot reach https://********@example.com/x.git".
std::string redact_url_userinfo(std::string_view text);

}  // namespace hoist
