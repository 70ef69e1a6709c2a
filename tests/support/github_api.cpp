// See github_api.hpp.
#include "tests/support/github_api.hpp"

#include <sstream>


namespace hoist::test {

GitHubApi::GitHubApi(const std::filesystem::path& bare_repo, const std::string& project)
    : server_(ForgeDialect::github, bare_repo, project),
      prism_("start-forge-api", "forge-api", {server_.base_url()}),
      url_(prism_.value("HOIST_TEST_FORGE_API_URL")) {
  server_.use_github_spec(prism_.dir() / "github-openapi.json");
}

std::string GitHubApi::prism_log() const { return prism_.log(); }

std::vector<std::string> GitHubApi::violations() const {
  std::vector<std::string> out;
  std::istringstream in(prism_.log());
  for (std::string line; std::getline(in, line);)
    if (line.find("Violation") != std::string::npos || line.find("UNPROCESSABLE") != std::string::npos ||
        line.find("Request terminated with error") != std::string::npos)
      out.push_back(line);
  return out;
}

}  // namespace hoist::test
