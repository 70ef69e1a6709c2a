// What redact_url_userinfo (runner/util/url_userinfo.hpp) keeps and hides: an account stays readable, a password or a
// token passed as the user name does not.
#include <catch2/catch.hpp>

#include "runner/util/secrets.hpp"
#include "runner/util/url_userinfo.hpp"

using hoist::redact_url_userinfo;

TEST_CASE("URL redaction keeps ssh accounts and user names, hides passwords", "[builtins]") {
  CHECK(redact_url_userinfo("cannot reach ssh://git@127.0.0.1:2222/srv/m.git") ==
        "cannot reach ssh://git@127.0.0.1:2222/srv/m.git");
  CHECK(redact_url_userinfo("https://ci-bot:hunter2@git.example/x.git") == "https://ci-bot:********@git.example/x.git");
  CHECK(redact_url_userinfo("https://oauth2:glpat-abcdefghij@gitlab.example/x") ==
        "https://oauth2:********@gitlab.example/x");
  CHECK(redact_url_userinfo("https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r") ==
        "https://x-access-token:********@github.com/o/r");
  CHECK(redact_url_userinfo("https://deploy-user-for-production@git.example/x") ==
        "https://deploy-user-for-production@git.example/x");  // long, but words: an account
  CHECK(redact_url_userinfo("https://user:@h/x") == "https://user:********@h/x");
}

TEST_CASE("URL redaction hides tokens passed as the user name", "[builtins]") {
  CHECK(redact_url_userinfo("https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r") ==
        "https://********@github.com/o/r");
  CHECK(redact_url_userinfo("https://glpat-xxxxxxxxxxxxxxxxxxxx@gitlab.example/x") == "https://********@gitlab.example/x");
  CHECK(redact_url_userinfo("https://a1b2c3d4e5f6a7b8c9d0e1f2@git.example/x") == "https://********@git.example/x");
  // A user name that is a known secret is masked by the SecretMasker, which callers run first.
  hoist::SecretMasker masker;
  masker.add("robot-deploy");
  CHECK(redact_url_userinfo(masker.mask("fetch https://robot-deploy@git.example/x failed")) ==
        "fetch https://********@git.example/x failed");
}

TEST_CASE("percent-encoding keeps only RFC 3986's unreserved characters, and decodes back", "[builtins]") {
  CHECK(hoist::percent_encode("a b/c@d:e?f&g=h") == "a%20b%2Fc%40d%3Ae%3Ff%26g%3Dh");
  CHECK(hoist::percent_encode("Az09-_.~") == "Az09-_.~");
  CHECK(hoist::percent_encode("p\xc3\xa4ss%") == "p%C3%A4ss%25");
  for (const std::string s : {"a b/c@d", "p\xc3\xa4ss%25", "shop/deploy/manifests"})
    CHECK(hoist::percent_decode(hoist::percent_encode(s)) == s);
}
