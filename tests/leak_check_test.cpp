// The test harness's credential scan (tests/support/leak_check.hpp) must find what it is meant to find, or the
// end-to-end tests that rely on it prove nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/support/leak_check.hpp"
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
