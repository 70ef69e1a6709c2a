// path_glob_match: the glob forms `rules: changes:` and `hoist ci github-matrix --changed` use.
#include <catch2/catch.hpp>

#include <initializer_list>

#include "runner/util/path_glob.hpp"

using hoist::path_glob_match;

namespace {

struct GlobCase {
  const char* glob;
  const char* path;
  bool matches;
};

void check_globs(std::initializer_list<GlobCase> cases) {
  for (const auto& c : cases) {
    INFO(c.glob << " against " << c.path);
    CHECK(path_glob_match(c.glob, c.path) == c.matches);
  }
}

}  // namespace

TEST_CASE("path globs: '*' and '?' stay within a directory", "[glob]") {
  check_globs({
      {"services/*/Dockerfile", "services/billing/Dockerfile", true},
      {"services/*/Dockerfile", "services/billing/v2/Dockerfile", false},
      {"pipelines/*.yaml", "pipelines/api-gateway.yaml", true},
      {"pipelines/*.yaml", "pipelines/old/api-gateway.yaml", false},
      {"app/v?.txt", "app/v1.txt", true},
      {"a?b", "a/b", false},
      {"README.md", "README.md", true},
      {"README.md", "README.mdx", false},
      {"app", "app/main.go", false}
  });
}

TEST_CASE("path globs: '**' crosses directories, '**/' also matches none", "[glob]") {
  check_globs({
      {"app/**/*.go", "app/main.go", true},
      {"app/**/*.go", "app/cmd/x/main.go", true},
      {"app/**/*.go", "app/cmd/x/main.c", false},
      {"app/**/*.go", "lib/app/main.go", false},
      {"app/**", "app/a/b/c", true},
      {"app/**", "apps/a", false},
      {"**/*.md", "docs/x/y.md", true},
      {"**/*.md", "y.md", true},
      {"examples/api-gateway/**/*", "examples/api-gateway/app/server", true}
  });
}
