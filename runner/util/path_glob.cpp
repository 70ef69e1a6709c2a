// See path_glob.hpp. Backtracking over the pattern; patterns are short, so the cost stays small.
#include "runner/util/path_glob.hpp"

namespace hoist {

bool path_glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return path.empty();
  if (pattern.substr(0, 2) == "**") {
    std::string_view rest = pattern.substr(2);
    if (!rest.empty() && rest.front() == '/') {
      // "**/": no directory at all, or any run of whole directories.
      if (path_glob_match(rest.substr(1), path)) return true;
      for (std::size_t i = 0; i < path.size(); ++i)
        if (path[i] == '/' && path_glob_match(rest.substr(1), path.substr(i + 1))) return true;
      return false;
    }
    for (std::size_t i = 0; i <= path.size(); ++i)
      if (path_glob_match(rest, path.substr(i))) return true;
    return false;
  }
  if (pattern.front() == '*') {
    for (std::size_t i = 0; i <= path.size(); ++i) {
      if (path_glob_match(pattern.substr(1), path.substr(i))) return true;
      if (i < path.size() && path[i] == '/') break;
    }
    return false;
  }
  if (path.empty()) return false;
  if (pattern.front() == '?' ? path.front() == '/' : pattern.front() != path.front()) return false;
  return path_glob_match(pattern.substr(1), path.substr(1));
}

}  // namespace hoist
