// Secret masking: names that are secret, and masking that never leaks part of a secret.

#include <catch2/catch.hpp>

#include <chrono>

#include "runner/util/secrets.hpp"

using hoist::is_secret_name;
using hoist::SecretMasker;

TEST_CASE("secret names: suffixes, exact words and declared names", "[secrets]") {
  CHECK(is_secret_name("GITLAB_TOKEN"));
  CHECK(is_secret_name("REGISTRY_PASSWORD"));
  CHECK(is_secret_name("AWS_SECRET"));
  CHECK(is_secret_name("SIGNING_KEY"));
  CHECK(is_secret_name("TOKEN"));
  CHECK(is_secret_name("github_token"));
  CHECK_FALSE(is_secret_name("TOKENIZER"));
  CHECK_FALSE(is_secret_name("MONKEY"));  // ends in KEY but not _KEY
  CHECK_FALSE(is_secret_name("_TOKEN_COUNT"));
  CHECK_FALSE(is_secret_name("APP"));
  CHECK_FALSE(is_secret_name(""));
  CHECK(is_secret_name("DB_URL", {"DB_URL"}));
  CHECK_FALSE(is_secret_name("DB_HOST", {"DB_URL"}));
}

TEST_CASE("masking replaces every occurrence", "[secrets]") {
  SecretMasker m;
  CHECK(m.empty());
  CHECK(m.mask("nothing to hide") == "nothing to hide");
  m.add("hunter2");
  CHECK_FALSE(m.empty());
  CHECK(m.mask("password=hunter2 again hunter2") == "password=******** again ********");
  CHECK(m.mask("hunter") == "hunter");
  CHECK(m.mask("") == "");
}

TEST_CASE("values shorter than 3 characters are not masked", "[secrets]") {
  SecretMasker m;
  m.add("ab");
  m.add("");
  CHECK(m.empty());
  CHECK(m.mask("ab cd ab") == "ab cd ab");
}

TEST_CASE("secrets that are substrings of one another are masked whole", "[secrets]") {
  SecretMasker m;
  m.add("token");
  m.add("token123");
  CHECK(m.mask("x token123 y token z") == "x ******** y ******** z");
  // Order of adding does not matter.
  SecretMasker n;
  n.add("token123");
  n.add("token");
  CHECK(n.mask("x token123 y") == "x ******** y");
}

TEST_CASE("overlapping secrets leak no part of either", "[secrets]") {
  SecretMasker m;
  m.add("abcdef");
  m.add("defghi");
  // Replacing "abcdef" first would leave "ghi" of the second secret visible.
  CHECK(m.mask("<abcdefghi>") == "<********>");
  CHECK(m.mask("<defghi abcdef>") == "<******** ********>");

  SecretMasker r;
  r.add("aaa");
  CHECK(r.mask("xaaaaay") == "x********y");  // overlapping occurrences of one secret
}

TEST_CASE("each line of a multi-line secret is masked on its own", "[secrets]") {
  SecretMasker m;
  m.add("-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----\n");
  CHECK(m.mask("  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC") == "  ********");
  CHECK(m.mask("printed -----BEGIN KEY-----") == "printed ********");
}

TEST_CASE("masking a long line with many secrets is fast", "[secrets]") {
  SecretMasker m;
  for (int i = 0; i < 50; ++i) m.add("secret-value-" + std::to_string(i * 7919));
  std::string line;
  for (int i = 0; i < 200; ++i) line += "some ordinary log output " + std::to_string(i) + " ";
  line += "secret-value-7919";
  auto start = std::chrono::steady_clock::now();
  std::string masked;
  for (int i = 0; i < 200; ++i) masked = m.mask(line);
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(masked.find("secret-value-7919") == std::string::npos);
  CHECK(masked.size() == line.size() - std::string("secret-value-7919").size() + 8);
  CHECK(elapsed < std::chrono::seconds(2));  // ~1 MB × 50 secrets; typically a few milliseconds
}
