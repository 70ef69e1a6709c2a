// The test harness's credential scan (tests/support/leak_check.hpp, applied suite-wide by known_secrets.hpp) must
// find what it is meant to find, or the suite's claim that no credential leaks proves nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/support/command.hpp"
#include "tests/support/git_server.hpp"
#include "tests/support/known_secrets.hpp"
#include "tests/support/leak_check.hpp"
#include "tests/support/scripted_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;

TEST_CASE("the leak check finds credentials in outputs and in files, in plain, URL and base64 form", "[security]") {
  test::TempDir dir;
  const auto forms = test::credential_forms("hoist", "s3cr:t/pw");
  std::filesystem::create_directories(dir / "cache" / "mirror");
  std::ofstream(dir / "clean.txt") << "nothing to see\n";
  CHECK(test::find_leaks(forms, {{"stdout", "ok"}}, {dir.path()}).empty());

  std::ofstream(dir / "cache" / "mirror" / "config") << "[remote]\n\turl = https://hoist:s3cr%3At%2Fpw@git.example/x\n";
  std::ofstream(dir / "header.log") << "Authorization: Basic aG9pc3Q6czNjcjp0L3B3\n";  // base64("hoist:s3cr:t/pw")
  auto found = test::find_leaks(forms, {{"stderr", "token s3cr:t/pw here"}}, {dir.path()});
  std::sort(found.begin(), found.end());
  // The header holds base64 of "user:password" (#2) and, the user name being 6 bytes, base64 of the password (#3).
  REQUIRE(found.size() == 4);
  CHECK(found[0] == (dir / "cache" / "mirror" / "config").string() + ": contains credential #1");
  CHECK(found[1] == (dir / "header.log").string() + ": contains credential #2");
  CHECK(found[2] == (dir / "header.log").string() + ": contains credential #3");
  CHECK(found[3] == "stderr: contains credential #0");
}

TEST_CASE("a finding names the file and shows a redacted excerpt, never the secret", "[security]") {
  test::TempDir dir;
  const std::vector<test::Secret> secrets = {{"git password", "pw-4f1e2d"}, {"registry token", "tok-99aa88"}};
  std::ofstream(dir / "run.log") << "line one\nauth user=ci pass=pw-4f1e2d then tok-99aa88 and more text after it\n";
  const auto leaks = test::scan_tree(secrets, dir.path());
  REQUIRE(leaks.size() == 2);
  CHECK(leaks[0].where == (dir / "run.log").string());
  CHECK(leaks[0].what == "git password");
  // The other secret within reach of the excerpt is starred out too.
  CHECK(leaks[0].excerpt == "...e.auth user=ci pass=<git password> then ********** and...");
  CHECK(leaks[1].excerpt == "...pass=********* then <registry token> and more text after...");
  for (const auto& l : leaks) {
    CHECK(l.describe().find("pw-4f1e2d") == std::string::npos);
    CHECK(l.describe().find("tok-99aa88") == std::string::npos);
  }
  const auto out = test::scan_text(secrets, "hoist bump stderr", "error: pw-4f1e2d");
  REQUIRE(out.size() == 1);
  CHECK(out[0].describe() == "hoist bump stderr: git password: error: <git password>");
}

TEST_CASE("the leak check skips the inputs a test registered, and only those", "[security]") {
  test::TempDir dir;
  const std::vector<test::Secret> secrets = {{"registry password", "hunter2-xyz"}};
  std::filesystem::create_directories(dir / "docker");
  std::ofstream(dir / "docker" / "config.json") << R"({"auths":{"r":{"password":"hunter2-xyz"}}})";
  std::ofstream(dir / "docker" / "copy.json") << R"({"auths":{"r":{"password":"hunter2-xyz"}}})";
  const auto leaks = test::scan_tree(secrets, dir.path(), {dir / "docker" / "config.json"});
  REQUIRE(leaks.size() == 1);
  CHECK(leaks[0].where == (dir / "docker" / "copy.json").string());
}

TEST_CASE("a git config whose remote URL carries a password is a leak, whatever the password", "[security]") {
  test::TempDir dir;
  const auto repo = dir / "mirror.git";
  REQUIRE(test::run_command(test::git_command({"init", "-q", "--bare", repo.string()})).ok());
  REQUIRE(test::run_command(test::git_command({"--git-dir", repo.string(), "remote", "add", "a",
                                               "ssh://git@127.0.0.1/x.git"})).ok());
  CHECK(test::scan_tree({}, dir.path()).empty());  // an ssh account is not a credential

  REQUIRE(test::run_command(test::git_command({"--git-dir", repo.string(), "remote", "add", "b",
                                               "http://ci:unknown-pw@127.0.0.1/x.git"})).ok());
  REQUIRE(test::run_command(test::git_command({"--git-dir", repo.string(), "config", "http.extraHeader",
                                               "Authorization: Basic Y2k6dW5rbm93bi1wdw=="})).ok());
  const auto leaks = test::scan_tree({}, dir.path());
  REQUIRE(leaks.size() == 2);
  CHECK(leaks[0].describe() ==
        (repo / "config").string() + ": remote URL with a password: url = http://ci:********@127.0.0.1/x.git");
  CHECK(leaks[1].describe() == (repo / "config").string() + ": Authorization header in git config: extraheader = ********");
  test::add_secret_input(repo / "config");  // planted on purpose: the suite-wide check must not report it again
}

TEST_CASE("the leak check reads git objects, which are compressed on disk", "[security]") {
  test::TempDir dir;
  const auto repo = dir / "m.git";
  REQUIRE(test::run_command(test::git_command({"init", "-q", "--bare", repo.string()})).ok());
  test::Command hash = test::git_command({"--git-dir", repo.string(), "hash-object", "-w", "--stdin"});
  hash.input = "token: tok-55ee44\n";
  REQUIRE(test::run_command(hash).ok());
  const auto leaks = test::scan_tree({{"registry token", "tok-55ee44"}}, dir.path());
  REQUIRE(leaks.size() == 1);
  CHECK(leaks[0].where == repo.string() + " (git objects)");
  CHECK(leaks[0].excerpt.find("token: <registry token>.") != std::string::npos);
}

TEST_CASE("known secrets: a removed TempDir and a captured output are scanned, a registered input is not",
          "[security]") {
  const std::string secret = "planted-" + test::random_hex(8);
  test::add_secret("planted token", secret);
  std::filesystem::path root;
  {
    test::TempDir dir;
    root = dir.path();
    std::ofstream(dir / "input.cfg") << "token=" + secret + "\n";
    test::add_secret_input(dir / "input.cfg");
    std::ofstream(dir / "out.log") << "sent token=" + secret + " to the server\n";
  }
  test::Command echo;
  echo.argv = {"printf", "%s", "said " + secret};
  test::run_command(echo);

  const auto leaks = test::take_leaks();
  REQUIRE(leaks.size() == 2);
  CHECK(leaks[0].describe() == (root / "out.log").string() + ": planted token: sent token=<planted token> to the server.");
  CHECK(leaks[1].describe() == "printf stdout: planted token: said <planted token>");
  CHECK(test::take_leaks().empty());  // reported once
}

// The two cases below must fail: each leaves a known secret where the suite-wide check looks, and passes only if
// tests/support/leak_listener.cpp turns that into a failed check ([!shouldfail] inverts the result).
TEST_CASE("the suite-wide check fails a test case that leaves a known secret in a temp file",
          "[security][!shouldfail]") {
  const std::string secret = "planted-" + test::random_hex(8);
  test::add_secret("planted token", secret);
  test::TempDir dir;
  std::filesystem::create_directories(dir / "cache" / "mirror");
  std::ofstream(dir / "cache" / "mirror" / "FETCH_LOG") << secret;
}

TEST_CASE("the suite-wide check fails a test case whose captured output shows a known secret",
          "[security][!shouldfail]") {
  const std::string secret = "planted-" + test::random_hex(8);
  test::add_credential("planted password", "bot", secret);
  test::Command c;
  c.argv = {"sh", "-c", "printf 'Authorization: Basic %s' \"$(printf 'bot:%s' \"$S\" | base64 -w0)\" >&2"};
  c.set_env = {{"S", secret}};
  CHECK(test::run_command(c).ok());
}

TEST_CASE("the suite-wide check fails a test case that commits a test server's password", "[security][!shouldfail]") {
  test::GitServer git;  // registers its password when it starts
  git.create_repo("m", {{"main", {{"notes.txt", "deploy with " + git.password() + "\n"}}}});
}
