// See promote_fixture.hpp.
#include "tests/support/promote_fixture.hpp"

#include "steps/digest/sha256.hpp"
#include "steps/registry/client.hpp"

namespace hoist::test {
namespace {

std::string tiny_config(int n) {
  return R"({"architecture":"amd64","os":"linux","config":{"Labels":{"n":")" + std::to_string(n) +
         R"("}},"rootfs":{"type":"layers","diff_ids":[]}})";
}

}  // namespace

std::string tiny_manifest(int n) {
  const std::string config = tiny_config(n);
  return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
         R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
         sha256_digest(config) + R"(","size":)" + std::to_string(config.size()) + R"(},"layers":[]})";
}

std::string tiny_image_digest(int n) { return sha256_digest(tiny_manifest(n)); }

std::string push_tiny_image(const RegistryServer& registry, const std::string& repository, const std::string& tag,
                            int n) {
  registry::RegistryClient client;
  const registry::Reference ref = registry::parse_reference(registry.image(repository) + ":" + tag);
  const std::string config = tiny_config(n);
  client.push_blob(ref, registry::StringBody(config), sha256_digest(config));
  return client.put_manifest(ref, registry::Manifest::from_bytes(tiny_manifest(n)));
}

PromoteServers::PromoteServers() {
  push_tiny_image(registry, "shop/api-gateway", "1.0.0", 0);
  push_tiny_image(registry, "shop/api-gateway", "1.1.0", 1);
}

std::string PromoteServers::image_pattern() const { return registry.image("shop/{app}"); }

void PromoteServers::create(const std::string& repo, bool with_digests, const std::string& policy) {
  std::string text = policy;
  const std::string example = "registry.example.com/shop/{app}";
  if (auto at = text.find(example); at != std::string::npos) text.replace(at, example.size(), image_pattern());
  create_promote_repo(git, repo, with_digests, text);
}

void create_promote_repo(GitServer& git, const std::string& repo, bool with_digests, const std::string& policy) {
  git.create_repo(repo, promote_seed(with_digests, policy));
  std::string message = "api-gateway: bump qa to 1.1.0\n\n";
  if (with_digests) message += "Hoist-Image-Digest: " + kD1 + "\n";
  message += "Hoist-Actor: frank\n";
  git.commit(repo, "qa", {{"api-gateway/qa.values.yaml", values("1.1.0", with_digests ? kD1 : "")}}, message);
}

HoistRun hoist_as(const std::string& user, const GitServer& git, const std::string& repo,
                  const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> all = env;
  all.insert({{"GITLAB_CI", "true"},
              {"GITLAB_USER_LOGIN", user},
              {"HOIST_MANIFEST_REPO", git.url(repo)},
              {"HOIST_GIT_USERNAME", git.username()},
              {"HOIST_GIT_PASSWORD", git.password()}});
  return run_hoist(args, all);
}

}  // namespace hoist::test
