// `hoist image digest` as a user meets real networks: a registry that does not resolve is retried and then reported
// with host, operation and cause (exit 5, "could not reach"), a tag the registry does not have is exit 4, and both
// messages start with "hoist: error:" and carry no libcurl option number.

#include <catch2/catch.hpp>

#include "tests/support/hoist_binary.hpp"
#include "tests/support/registry_server.hpp"

using hoist::test::RegistryServer;
using hoist::test::run_hoist;

TEST_CASE("image digest: an unresolvable registry is retried, then exit 5 with the cause", "[cli][network]") {
  auto r = run_hoist({"image", "digest", "registry.invalid/shop/app:1"}, {{"HOIST_DEBUG", "1"}});
  CHECK(r.code == 5);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("retrying in "));
  CHECK_THAT(r.err, Catch::Contains("hoist: error: cannot reach registry registry.invalid: GET "
                                    "https://registry.invalid/v2/: the host name does not resolve"));
  CHECK_THAT(r.err, Catch::Contains("(after 5 attempts)"));
  CHECK(r.err.find("option") == std::string::npos);
}

TEST_CASE("image digest: a tag the registry does not have is exit 4", "[cli][network]") {
  RegistryServer server{RegistryServer::Mode::plain};
  auto missing = run_hoist({"image", "digest", server.image("none") + ":1"});
  CHECK(missing.code == 4);
  CHECK(missing.err == "hoist: error: manifest not found: " + server.image("none") + ":1\n");
}

TEST_CASE("bump: a local repository path that does not exist says so", "[cli][git]") {
  auto r = run_hoist({"bump", "--repo", "/nonexistent/hoist-test/m.git", "--branch", "qa", "--file", "a.yaml", "--set",
                      "image.tag=1"});
  INFO(r.out << r.err);
  CHECK(r.code != 0);
  CHECK_THAT(r.all(), Catch::Contains("/nonexistent/hoist-test/m.git does not exist"));
  CHECK(r.all().find("unsupported URL protocol") == std::string::npos);
}
