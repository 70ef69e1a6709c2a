// The rules of dependency (ARCHITECTURE.md) hold for the source tree; and the check finds each kind of break, by file
// and line, in a small planted tree (so a check that found nothing could not pass here).

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/dependency_rule.hpp"
#include "tests/support/file_tree.hpp"
#include "tests/support/temp_dir.hpp"

using namespace hoist::test;

namespace {

std::string lines(const std::vector<std::string>& list) {
  std::string all;
  for (const auto& l : list) all += l + "\n";
  return all;
}

// A small tree with the given files; each maps to its text.
void plant(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [path, text] : files) write_tree_file(dir.path() / path, text);
}

}  // namespace

TEST_CASE("dependency rule: the source tree keeps it", "[dependency_rule]") {
  const std::vector<std::string> breaks = dependency_breaks(HOIST_SOURCE_DIR, hoist_dependency_rules());
  INFO(lines(breaks));
  CHECK(breaks.empty());
}

TEST_CASE("dependency rule: every kind of break is named with its file and line", "[dependency_rule]") {
  TempDir dir;
  plant(dir, {
      {"runner/util/text.hpp", "#pragma once\n#include <string>\n#include \"runner/exec/step.hpp\"\n"},
      {"runner/exec/step.hpp", "#pragma once\n#include \"runner/util/text.hpp\"\n"},
      {"runner/pipeline/ci.cpp", "// CI detection\n#include \"runner/pipeline/ci.hpp\"\n#include \"steps/git/repo.hpp\"\n"},
      {"runner/pipeline/ci.hpp", "#pragma once\n"},
      {"runner/cli/main.cpp", "#include \"runner/exec/step.hpp\"\n#include \"steps/git/repo.hpp\"\n"},
      {"runner/stray.cpp", "int x;\n"},
      {"runner/extras/more.cpp", "int y;\n"},
      {"steps/git/repo.hpp", "#pragma once\n#include \"steps/git/wrap.hpp\"\n"},
      {"steps/git/wrap.hpp", "#pragma once\n#include <git2.h>\n"},
      {"steps/git/cli_user.cpp", "#include \"runner/cli/main.hpp\"\n"},
      {"steps/promote/step.cpp", "#include \"steps/notify/hooks.hpp\"\n#include \"steps/git/repo.hpp\"\n"},
      {"steps/notify/hooks.hpp", "#pragma once\n#include <curl/curl.h>\n"},
      {"steps/registry/client.cpp", "#include \"steps/image/layer.hpp\"\n#include \"steps/git/wrap.hpp\"\n"},
      {"steps/image/layer.hpp", "#pragma once\n  #  include <git2/oid.h>\n"},
      {"steps/weird/x.cpp", "#include \"steps/nowhere/y.hpp\"\n"},
  });
  DependencyRules rules = hoist_dependency_rules();
  rules.allowed.clear();
  rules.wrapper_homes = {{"steps/git/wrap.hpp", "steps/git/"}};
  CHECK(lines(dependency_breaks(dir.path(), rules)) ==
        "runner/cli/main.cpp:2: includes steps/git/repo.hpp: brings in <git2.h> (steps/git/repo.hpp -> "
        "steps/git/wrap.hpp -> <git2.h>): only steps/git/ sees it\n"
        "runner/extras/more.cpp:1: runner/extras/ is not a layer of the rule\n"
        "runner/pipeline/ci.cpp:3: includes steps/git/repo.hpp: brings in <git2.h> (steps/git/repo.hpp -> "
        "steps/git/wrap.hpp -> <git2.h>): only steps/git/ sees it\n"
        "runner/pipeline/ci.cpp:3: includes steps/git/repo.hpp: only runner/cli/ includes steps/\n"
        "runner/stray.cpp:1: a runner/ file belongs in a layer folder\n"
        "runner/util/text.hpp:3: includes runner/exec/step.hpp: runner/util/ is below runner/exec/ (runner/ layers, "
        "lowest first: util < process < pipeline < report < exec < cli)\n"
        "steps/git/cli_user.cpp:1: includes runner/cli/main.hpp: only runner/cli/ includes runner/cli/\n"
        "steps/image/layer.hpp:2: includes git2/oid.h: only steps/git/ includes <git2/oid.h>\n"
        "steps/notify/hooks.hpp:2: includes curl/curl.h: only steps/http/ includes <curl/curl.h>\n"
        "steps/promote/step.cpp:1: includes steps/notify/hooks.hpp: a step kind includes no other kind (notify)\n"
        "steps/registry/client.cpp:1: includes steps/image/layer.hpp: a client includes no step kind (image)\n"
        "steps/registry/client.cpp:2: includes steps/git/wrap.hpp: only steps/git/ uses the library it wraps\n"
        "steps/weird/x.cpp:1: includes steps/nowhere/y.hpp: steps/nowhere/ is neither a step kind nor a client in "
        "the rule\n"
        "steps/weird/x.cpp:1: steps/weird/ is neither a step kind nor a client in the rule\n");

  SECTION("an allowance hides its one break, and one that matches nothing is reported") {
    rules.allowed = {{"steps/promote/step.cpp -> steps/notify/hooks.hpp", "issue 99"},
                     {"steps/run/gone.cpp -> steps/git/wrap.hpp", "issue 98"}};
    const std::string found = lines(dependency_breaks(dir.path(), rules));
    CHECK(found.find("steps/promote/step.cpp:1:") == std::string::npos);
    CHECK(found.find("(allowed):0: steps/run/gone.cpp -> steps/git/wrap.hpp (issue 98) no longer breaks the rule: "
                     "remove it from the allowances\n") == 0);
  }
}
