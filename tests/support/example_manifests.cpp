// See example_manifests.hpp.
#include "tests/support/example_manifests.hpp"

#include <filesystem>

#include "tests/support/read_file.hpp"

namespace hoist::test {
namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
}

}  // namespace

RepoFiles example_manifest_files(const std::string& registry) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(HOIST_SOURCE_DIR) / "examples" / "manifests";
  RepoFiles files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string text = read_file(entry.path().string());
    replace_all(text, "REGISTRY/", registry + "/");
    replace_all(text, "digest: \"\"", "digest: \"" + kPreviousDigest + "\"");
    files[fs::relative(entry.path(), root).string()] = text;
  }
  return files;
}

RepoSeed example_manifest_seed(const std::string& registry) {
  const RepoFiles files = example_manifest_files(registry);
  return {{"qa", files}, {"staging", files}, {"master", files}};
}

}  // namespace hoist::test
