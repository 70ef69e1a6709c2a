// See example_story_checks.hpp.
#include "tests/support/example_story_checks.hpp"

#include <catch2/catch.hpp>

#include "tests/support/leak_check.hpp"

namespace hoist::test {

std::string check_example_image(const ExampleRegistry& registry, const std::string& commit, const std::string& source) {
  const auto image = registry.inspect("shop/api-gateway:" + commit);
  const std::string digest = image.at("Digest").get<std::string>();
  CHECK(image.at("Labels").value("org.opencontainers.image.revision", "") == commit);
  CHECK(image.at("Labels").value("org.opencontainers.image.source", "") == source);
  CHECK(registry.inspect("shop/api-gateway:" + commit.substr(0, 8)).at("Digest") == digest);
  return digest;
}

void check_runs(const GitServer& git, const std::string& branch, const std::string& env, const std::string& tag,
                const std::string& digest) {
  const auto values = git.read_file("manifests", branch, "api-gateway/" + env + ".values.yaml");
  REQUIRE(values);
  CHECK_THAT(*values, Catch::Contains("tag: \"" + tag + "\""));
  CHECK_THAT(*values, Catch::Contains("digest: \"" + digest + "\""));
}

void check_prod_promotion(const GitServer& git, const std::string& digest, const std::string& promoter) {
  const std::string message = git.message("manifests", "master");
  CHECK_THAT(message, Catch::Contains("Hoist-Image-Digest: " + digest + "\n"));
  CHECK_THAT(message, Catch::Contains("Hoist-Approved-By: alice\nHoist-Approved-By: bob\n"));
  CHECK_THAT(message, Catch::Contains("Hoist-Promoted-By: " + promoter + "\n"));
}

std::vector<std::string> example_leaks(const GitServer& git, const ExampleRegistry& registry,
                                       const std::map<std::string, std::string>& printed,
                                       std::vector<std::filesystem::path> trees) {
  std::vector<std::string> credentials = credential_forms(git.username(), git.password());
  for (const auto& form : registry.credential_forms()) credentials.push_back(form);
  trees.push_back(git.repo_path("manifests"));
  trees.push_back(registry.server().dir() / "registry-data");
  return find_leaks(credentials, printed, trees);
}

}  // namespace hoist::test
