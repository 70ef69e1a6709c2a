// Manifest bumps to a git server over HTTPS (git http-backend behind lighttpd with mod_openssl, a CA made for the
// test): the server's CA from --ca-file or SSL_CERT_FILE, an unknown CA refused, and the limit of libgit2 1.5's TLS
// (mbedTLS) that docs/DESIGN.md names: a remote given by IP address is refused, because its certificate is matched by
// name only. When Debian's libgit2 lifts that limit, the last check fails: update DESIGN.md then.

#include <catch2/catch.hpp>

#include "tests/support/git_server.hpp"
#include "tests/support/hoist_binary.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist;

TEST_CASE("bumps to a TLS git server trust its CA from --ca-file or SSL_CERT_FILE, nothing else", "[git][tls]") {
  test::GitServer git{test::GitServer::Scheme::https};
  git.create_repo("manifests", {{"qa", {{"api/qa.values.yaml", "image:\n  tag: 1.0.0\n"}}}});
  test::TempDir home;
  const std::map<std::string, std::string> env = {{"HOME", home.path().string()},
                                                  {"HOIST_GIT_USERNAME", git.username()},
                                                  {"HOIST_GIT_PASSWORD", git.password()}};
  auto bump = [&](const std::string& url, const std::string& tag, std::vector<std::string> extra,
                  std::map<std::string, std::string> more_env = {}) {
    std::vector<std::string> args = {"bump", "--repo", url, "--branch", "qa", "--file", "api/qa.values.yaml",
                                     "--set", "image.tag=" + tag};
    args.insert(args.end(), extra.begin(), extra.end());
    more_env.insert(env.begin(), env.end());
    return test::run_hoist(args, more_env, home.path().string());
  };
  auto tag_now = [&] { return *git.read_file("manifests", "qa", "api/qa.values.yaml"); };

  test::HoistRun with_flag = bump(git.url("manifests"), "1.1.0", {"--ca-file", git.ca_file()});
  INFO(with_flag.out << with_flag.err);
  CHECK(with_flag.code == 0);
  CHECK(tag_now() == "image:\n  tag: 1.1.0\n");

  test::HoistRun with_env = bump(git.url("manifests"), "1.2.0", {}, {{"SSL_CERT_FILE", git.ca_file()}});
  INFO(with_env.out << with_env.err);
  CHECK(with_env.code == 0);
  CHECK(tag_now() == "image:\n  tag: 1.2.0\n");

  test::HoistRun unknown_ca = bump(git.url("manifests"), "1.3.0", {});
  CHECK(unknown_ca.code == 1);
  CHECK_THAT(unknown_ca.err, Catch::StartsWith("hoist: error: step 'bump' (manifest/bump) failed: cannot fetch from " +
                                               git.url("manifests") + ": the SSL certificate is invalid"));

  const std::string by_ip = "https://127.0.0.1:" + git.host().substr(git.host().rfind(':') + 1) + "/manifests.git";
  test::HoistRun ip = bump(by_ip, "1.3.0", {"--ca-file", git.ca_file()});
  CHECK(ip.code == 1);
  CHECK_THAT(ip.err, Catch::Contains("does not match with the expected CN"));
  CHECK(tag_now() == "image:\n  tag: 1.2.0\n");
}
