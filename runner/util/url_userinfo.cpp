// See url_userinfo.hpp.

#include "runner/util/url_userinfo.hpp"

#include <cctype>
#include <cstdio>

namespace hoist {
namespace {

// For the "://" at `sep`: the authority runs to the first '/', '?', '#' or whitespace; returns the position of the
// last '@' in it, or npos.
size_t userinfo_end(std::string_view s, size_t sep) {
  size_t start = sep + 3;
  size_t at = std::string_view::npos;
  for (size_t i = start; i < s.size(); ++i) {
    char c = s[i];
    if (c == '/' || c == '?' || c == '#' || std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'')
      break;
    if (c == '@') at = i;
  }
  return at;
}

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

// A token passed as the user name: a prefix the big forges give their tokens, or a long run of letters and digits
// with both in it (an account name is short, or made of words).
bool looks_like_token(std::string_view user) {
  for (std::string_view prefix : {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-",
                                  "glrt-", "glcbt-", "glptt-", "ATBB", "ATCTT"}) {
    if (user.starts_with(prefix)) return true;
  }
  size_t letters = 0, digits = 0;
  for (char c : user) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalpha(u)) ++letters;
    else if (std::isdigit(u)) ++digits;
    else if (c != '-' && c != '_') return false;
  }
  return user.size() >= 20 && letters > 0 && digits > 0;
}

// The redacted form of a userinfo: "user:********", "user", or "********".
std::string redacted_userinfo(std::string_view userinfo) {
  size_t colon = userinfo.find(':');
  std::string_view user = userinfo.substr(0, colon);
  if (looks_like_token(user)) return "********";
  if (colon == std::string_view::npos) return std::string(user);
  return std::string(user) + ":********";
}

}  // namespace

std::string strip_url_userinfo(std::string_view url) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::string(url);
  size_t at = userinfo_end(url, sep);
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, sep + 3)) + std::string(url.substr(at + 1));
}

std::string redact_url_userinfo(std::string_view text) {
  std::string out;
  size_t copied = 0;
  size_t sep = text.find("://");
  while (sep != std::string_view::npos) {
    // Only a real scheme ("https", "git+ssh") before "://" makes it a URL.
    if (sep > 0 && is_scheme_char(text[sep - 1])) {
      size_t at = userinfo_end(text, sep);
      if (at != std::string_view::npos) {
        out.append(text.substr(copied, sep + 3 - copied));
        out.append(redacted_userinfo(text.substr(sep + 3, at - sep - 3)));
        copied = at;  // keep the '@'
      }
    }
    sep = text.find("://", sep + 3);
  }
  out.append(text.substr(copied));
  return out;
}

std::string url_authority(std::string_view url) {
  auto p = url.find("://");
  size_t start = p == std::string_view::npos ? 0 : p + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority(url.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
  if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  return authority;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace hoist
