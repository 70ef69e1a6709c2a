// See dependency_rule.hpp.

#include "tests/support/dependency_rule.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <tuple>

namespace hoist::test {
namespace {

namespace fs = std::filesystem;

struct Include {
  int line = 0;
  std::string target;  // as written between the quotes or brackets
  bool angled = false;
};

using Sources = std::map<std::string, std::vector<Include>>;  // "runner/exec/executor.cpp" -> its includes

Sources read_sources(const fs::path& root) {
  static const std::regex include_line(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  Sources sources;
  for (const char* top : {"runner", "steps"}) {
    if (!fs::is_directory(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h")) continue;
      std::vector<Include>& includes = sources[fs::relative(entry.path(), root).generic_string()];
      std::ifstream in(entry.path());
      std::string text;
      std::smatch m;
      for (int n = 1; std::getline(in, text); ++n)
        if (std::regex_search(text, m, include_line)) includes.push_back({n, m[2].str(), m[1].str() == "<"});
    }
  }
  return sources;
}

// "runner/exec/executor.cpp" -> "runner/exec"; "" for a file directly in runner/ or steps/.
std::string folder_of(const std::string& path) {
  auto first = path.find('/');
  auto second = path.find('/', first + 1);
  return second == std::string::npos ? std::string() : path.substr(0, second);
}

std::string name_of(const std::string& folder) { return folder.substr(folder.find('/') + 1); }

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The library key of `header` in `homes` ("git2.h", or a prefix "git2/"), or "".
std::string library_of(const std::string& header, const std::map<std::string, std::string>& homes) {
  for (const auto& [key, _] : homes)
    if (key.back() == '/' ? header.rfind(key, 0) == 0 : header == key) return key;
  return "";
}

class Checker {
 public:
  Checker(Sources sources, const DependencyRules& rules) : sources_(std::move(sources)), rules_(rules) {}

  std::vector<std::string> run() {
    for (const auto& [file, includes] : sources_) check_file(file, includes);
    for (const auto& [key, why] : rules_.allowed)
      if (!used_allowances_.count(key))
        breaks_.emplace_back("(allowed)", 0,
                             key + " (" + why + ") no longer breaks the rule: remove it from the allowances");
    std::sort(breaks_.begin(), breaks_.end());
    std::vector<std::string> lines;
    for (const auto& [file, line, what] : breaks_) lines.push_back(file + ":" + std::to_string(line) + ": " + what);
    return lines;
  }

 private:
  void check_file(const std::string& file, const std::vector<Include>& includes) {
    const std::string folder = folder_of(file);
    const bool in_runner = file.rfind("runner/", 0) == 0;
    if (folder.empty()) {
      report(file, 1, "", in_runner ? "a runner/ file belongs in a layer folder" : "a steps/ file belongs in a folder");
      return;
    }
    if (in_runner && !contains(rules_.runner_layers, name_of(folder)))
      report(file, 1, "", folder + "/ is not a layer of the rule");
    if (!in_runner && !contains(rules_.kinds, name_of(folder)) && !contains(rules_.clients, name_of(folder)))
      report(file, 1, "", folder + "/ is neither a step kind nor a client in the rule");
    std::set<std::string> reached_reported;
    for (const auto& inc : includes) {
      if (inc.angled) {
        check_library(file, folder, inc);
        continue;
      }
      check_quoted(file, folder, inc);
      if (in_runner) check_reach(file, folder, inc, reached_reported);
    }
  }

  void check_library(const std::string& file, const std::string& folder, const Include& inc) {
    const std::string lib = library_of(inc.target, rules_.library_homes);
    if (lib.empty()) return;
    const std::string& home = rules_.library_homes.at(lib);
    if (folder + "/" != home) report(file, inc.line, inc.target, "only " + home + " includes <" + inc.target + ">");
  }

  void check_quoted(const std::string& file, const std::string& folder, const Include& inc) {
    auto wrapper = rules_.wrapper_homes.find(inc.target);
    if (wrapper != rules_.wrapper_homes.end() && folder + "/" != wrapper->second)
      report(file, inc.line, inc.target, "only " + wrapper->second + " uses the library it wraps");
    const std::string to = folder_of(inc.target);
    if (to.empty() || to == folder) return;
    const bool from_runner = folder.rfind("runner/", 0) == 0;
    if (to.rfind("runner/", 0) == 0) {
      const auto& layers = rules_.runner_layers;
      auto to_rank = std::find(layers.begin(), layers.end(), name_of(to));
      if (to_rank == layers.end()) {
        report(file, inc.line, inc.target, to + "/ is not a layer of the rule");
      } else if (to == "runner/cli" || from_runner) {
        auto from_rank = std::find(layers.begin(), layers.end(), name_of(folder));
        if (to == "runner/cli" || to_rank > from_rank) report(file, inc.line, inc.target, layer_problem(folder, to));
      }
    } else if (to.rfind("steps/", 0) == 0) {
      const std::string kind = name_of(to);
      if (from_runner) {
        if (folder != "runner/cli") report(file, inc.line, inc.target, "only runner/cli/ includes steps/");
      } else if (contains(rules_.kinds, kind)) {
        report(file, inc.line, inc.target,
               contains(rules_.kinds, name_of(folder)) ? "a step kind includes no other kind (" + kind + ")"
                                                       : "a client includes no step kind (" + kind + ")");
      } else if (!contains(rules_.clients, kind)) {
        report(file, inc.line, inc.target, to + "/ is neither a step kind nor a client in the rule");
      }
    }
  }

  std::string layer_problem(const std::string& from, const std::string& to) const {
    if (to == "runner/cli") return "only runner/cli/ includes runner/cli/";
    std::string order;
    for (const auto& layer : rules_.runner_layers) order += (order.empty() ? "" : " < ") + layer;
    return from + "/ is below " + to + "/ (runner/ layers, lowest first: " + order + ")";
  }

  // A runner/ file must not reach a library header through quoted includes: one line per file and library, at the
  // first include that leads there, with the chain.
  void check_reach(const std::string& file, const std::string& folder, const Include& inc,
                   std::set<std::string>& reported) {
    for (const auto& [lib, chain] : reached(inc.target)) {
      if (rules_.library_homes.at(lib) == folder + "/" || !reported.insert(lib).second) continue;
      std::string through = inc.target;
      for (const auto& step : chain) through += " -> " + step;
      report(file, inc.line, inc.target,
             "brings in <" + lib + "> (" + through + "): only " + rules_.library_homes.at(lib) + " sees it");
    }
  }

  // Library key -> the chain of headers from `header` to the one that includes it (the last element is "<lib>").
  const std::map<std::string, std::vector<std::string>>& reached(const std::string& header) {
    auto done = reach_.find(header);
    if (done != reach_.end()) return done->second;
    auto& result = reach_[header];  // empty while in progress: a cycle ends there
    auto it = sources_.find(header);
    if (it == sources_.end()) return result;
    std::map<std::string, std::vector<std::string>> found;
    for (const auto& inc : it->second) {
      if (inc.angled) {
        const std::string lib = library_of(inc.target, rules_.library_homes);
        if (!lib.empty() && !found.count(lib)) found[lib] = {"<" + inc.target + ">"};
        continue;
      }
      for (const auto& [lib, chain] : reached(inc.target)) {
        if (found.count(lib)) continue;
        std::vector<std::string> longer{inc.target};
        longer.insert(longer.end(), chain.begin(), chain.end());
        found[lib] = std::move(longer);
      }
    }
    return reach_[header] = std::move(found);
  }

  void report(const std::string& file, int line, const std::string& target, const std::string& what) {
    const std::string key = file + " -> " + target;
    if (!target.empty() && rules_.allowed.count(key)) {
      used_allowances_.insert(key);
      return;
    }
    breaks_.emplace_back(file, line, (target.empty() ? "" : "includes " + target + ": ") + what);
  }

  Sources sources_;
  const DependencyRules& rules_;
  std::map<std::string, std::map<std::string, std::vector<std::string>>> reach_;
  std::set<std::string> used_allowances_;
  std::vector<std::tuple<std::string, int, std::string>> breaks_;
};

}  // namespace

DependencyRules hoist_dependency_rules() {
  DependencyRules rules;
  rules.runner_layers = {"util", "process", "pipeline", "report", "exec", "cli"};
  rules.kinds = {"run", "manifest", "image", "notify", "promote"};
  rules.clients = {"git", "http", "registry", "forge", "yamledit", "digest", "gate", "render", "signing"};
  rules.library_homes = {{"git2.h", "steps/git/"}, {"git2/", "steps/git/"}, {"curl/curl.h", "steps/http/"},
                         {"curl/", "steps/http/"}};
  // libgit2 is the git client's own business; libcurl's wrapper (steps/http/curl_easy.hpp) is how the clients that
  // speak HTTP use it.
  rules.wrapper_homes = {{"steps/git/libgit2.hpp", "steps/git/"}};
  rules.allowed = {};
  return rules;
}

std::vector<std::string> dependency_breaks(const fs::path& root, const DependencyRules& rules) {
  return Checker(read_sources(root), rules).run();
}

}  // namespace hoist::test
