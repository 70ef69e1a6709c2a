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

// Redacts the secret part of the userinfo of every "scheme://userinfo@" found anywhere in free text, e.g. in an
// error message, and keeps the account readable: a password becomes "********" ("https://ci:********@example.com"),
// a user alone is kept ("ssh://git@example.com") unless it looks like a token passed as the user name (a known
// token prefix such as ghp_ or glpat-, or 20 or more letters and digits, mixed), which becomes "********" whole.
// A user name that is a known secret is masked by the caller's SecretMasker, which runs first.
std::string redact_url_userinfo(std::string_view text);

// The authority of a URL without its userinfo: "https://u:p@host:5000/x" -> "host:5000".
std::string url_authority(std::string_view url);

// "%40" -> "@" (userinfo in URLs is percent-encoded); a '%' not followed by two hex digits is kept as it is.
std::string percent_decode(std::string_view s);

// Percent-encodes every byte but the unreserved characters of RFC 3986 (letters, digits, - _ . ~): query values,
// path segments, userinfo. "a b/c@d" -> "a%20b%2Fc%40d".
std::string percent_encode(std::string_view s);

}  // namespace hoist
