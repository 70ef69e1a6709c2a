// path_glob_match: the glob forms `rules: changes:` and `hoist ci github-matrix --changed` use.
#include <catch2/catch.hpp>

#include "runner/util/path_glob.hpp"

using hoist::path_glob_match;

TEST_CASE("path globs: '*' and '?' stay within a directory", "[glob]") {
  CHECK(path_glob_match("services/*/Dockerfile", "services/billing/Dockerfile"));
  CHECK_FALSE(path_glob_match("services/*/Dockerfile", "services/billing/v2/Dockerfile"));
  CHECK(path_glob_match("pipelines/*.yaml", "pipelines/api-gateway.yaml"));
  CHECK_FALSE(path_glob_match("pipelines/*.yaml", "pipelines/old/api-gateway.yaml"));
  CHECK(path_glob_match("app/v?.txt", "app/v1.txt"));
  CHECK_FALSE(path_glob_match("a?b", "a/b"));
  CHECK(path_glob_match("README.md", "README.md"));
  CHECK_FALSE(path_glob_match("README.md", "README.mdx"));
  CHECK_FALSE(path_glob_match("app", "app/main.go"));
}

TEST_CASE("path globs: '**' crosses directories, '**/' also matches none", "[glob]") {
  CHECK(path_glob_match("app/**/*.go", "app/main.go"));
  CHECK(path_glob_match("app/**/*.go", "app/cmd/x/main.go"));
  CHECK_FALSE(path_glob_match("app/**/*.go", "app/cmd/x/main.c"));
  CHECK_FALSE(path_glob_match("app/**/*.go", "lib/app/main.go"));
  CHECK(path_glob_match("app/**", "app/a/b/c"));
  CHECK_FALSE(path_glob_match("app/**", "apps/a"));
  CHECK(path_glob_match("**/*.md", "docs/x/y.md"));
  CHECK(path_glob_match("**/*.md", "y.md"));
  CHECK(path_glob_match("examples/api-gateway/**/*", "examples/api-gateway/app/server"));
}
