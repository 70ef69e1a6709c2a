// Every test case must be runnable on its own under ctest: catch_discover_tests turns each name into a ctest test
// whose command line is the name itself. ctest splits a name at ';' (both halves then match nothing), and Catch
// reads a name that starts with '-' as an option; both would silently run nothing.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

TEST_CASE("test names survive ctest: no semicolon, no leading dash, no space at either end", "[meta]") {
  std::vector<std::string> bad;
  for (const auto& test : Catch::getAllTestCasesSorted(*Catch::getCurrentContext().getConfig())) {
    const std::string& name = test.getTestCaseInfo().name;
    if (name.empty() || name.find(';') != std::string::npos || name.front() == '-' || name.front() == ' ' ||
        name.back() == ' ')
      bad.push_back(name);
  }
  for (const auto& name : bad) UNSCOPED_INFO("bad test name: '" << name << "'");
  CHECK(bad.empty());
  CHECK(Catch::getAllTestCasesSorted(*Catch::getCurrentContext().getConfig()).size() > 400);
}
