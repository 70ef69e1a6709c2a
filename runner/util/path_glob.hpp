#pragma once
// Globs over repository paths, as GitLab's `rules: changes:` and GitHub's `paths:` filters write them:
//   "*"   any characters except '/'          "services/*/Dockerfile"
//   "?"   one character except '/'
//   "**"  any characters including '/': "**/" also matches no directory at all, so "app/**/*.go" matches
//         "app/main.go" and "app/cmd/x/main.go", and "app/**" everything under app/.
// Everything else matches itself. Paths are relative, '/'-separated, as `git diff --name-only` prints them.

#include <string_view>

namespace hoist {

bool path_glob_match(std::string_view pattern, std::string_view path);

}  // namespace hoist
