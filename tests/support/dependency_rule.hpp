#pragma once
// The rules of dependency (ARCHITECTURE.md), checked on the `#include` lines of every file under runner/ and steps/:
//   - runner/ is in layers, lowest first: a file includes its own layer and the layers below it, never above;
//   - only runner/cli/ includes steps/, and nothing includes runner/cli/ but runner/cli/;
//   - in steps/, a folder is a step kind or a client: a kind includes clients and runner/, never another kind; a
//     client includes clients and runner/, never a kind;
//   - a C library's header (<git2.h>, <curl/curl.h>) and the RAII wrapper around it are included only in the
//     library's home folder, and no runner/ file reaches the library's header through any chain of includes.
// Each break is one line naming the file and the line of the `#include`. An allowed break names its issue; an
// allowance that no longer matches anything is itself reported, so the list only shrinks.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace hoist::test {

struct DependencyRules {
  std::vector<std::string> runner_layers;  // folders of runner/, lowest first
  std::vector<std::string> kinds;          // folders of steps/ that are step kinds
  std::vector<std::string> clients;        // folders of steps/ that kinds use
  // A library's header (as written between < >, or a prefix ending in '/') -> the only folder that includes it.
  std::map<std::string, std::string> library_homes;
  // A wrapper header of a library ("steps/git/libgit2.hpp") -> the only folder that includes it.
  std::map<std::string, std::string> wrapper_homes;
  // "file -> included header" -> why it is allowed for now (an issue number).
  std::map<std::string, std::string> allowed;
};

// Hoist's own rules.
DependencyRules hoist_dependency_rules();

// Every break of `rules` in the runner/ and steps/ folders under `root`, as "file:line: what", sorted by file and line.
std::vector<std::string> dependency_breaks(const std::filesystem::path& root, const DependencyRules& rules);

}  // namespace hoist::test
