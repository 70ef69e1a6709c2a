// Every scalar of every fixture, set to awkward values: each edit either succeeds and changes exactly one span on
// one line (and the oracle accepts it), or is refused for a documented reason. A cheap stand-in for the fuzzer.

#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include "steps/yamledit/key_path.hpp"
#include "steps/yamledit/yamledit.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using namespace hoist::test;
using namespace hoist::yamledit;

namespace {

void leaf_paths(const YAML::Node& n, std::vector<PathSegment>& path, std::vector<std::string>& out) {
  if (n.IsScalar() || n.IsNull()) {
    if (!path.empty()) out.push_back(to_string(path));
    return;
  }
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      PathSegment s;
      s.key = it->first.Scalar();
      path.push_back(s);
      leaf_paths(it->second, path, out);
      path.pop_back();
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      PathSegment s;
      s.kind = PathSegment::Kind::index;
      s.index = i;
      path.push_back(s);
      leaf_paths(n[i], path, out);
      path.pop_back();
    }
  }
}

std::size_t differing_lines(const std::string& a, const std::string& b) {
  std::size_t count = 0, i = 0, j = 0;
  while (i <= a.size() && j <= b.size()) {
    std::size_t ea = a.find('\n', i), eb = b.find('\n', j);
    if (ea == std::string::npos) ea = a.size();
    if (eb == std::string::npos) eb = b.size();
    if (a.compare(i, ea - i, b, j, eb - j) != 0) ++count;
    i = ea + 1;
    j = eb + 1;
  }
  return count;
}

const char* fixtures[] = {
    R"(# values
image:
  repository: "registry.example.com/x"   # repo
  tag: &t '1.0'
  pullPolicy: IfNotPresent
alias: *t
"quoted.key": {a: 1, "b c": [x, 'y', "z"], d: ~}
list:
- plain value # c
-   "spaced"
- {name: n, image: 'r:1'}
empty:
nulls: [~, null]
numbers: {i: 12, f: 1.5, b: true}
"tab":	v	# t
)",
    "a: 1\r\nb: {c: \"2\", d: [3, '4']}\r\n---\r\ne: x\r\n",
    "\xEF\xBB\xBFroot:\n    deep:\n        deeper:\n            value: x # end",
    "- a\n- - b\n  - c: d\n    e: 'f'\n",
};

}  // namespace

TEST_CASE("every scalar of every fixture can be set and only its bytes change", "[yamledit]") {
  for (const char* fixture : fixtures) {
    std::string text = fixture;
    std::vector<std::string> paths;
    std::vector<PathSegment> path;
    std::string body = text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
    for (const YAML::Node& doc : YAML::LoadAll(body)) leaf_paths(doc, path, paths);
    REQUIRE(!paths.empty());
    for (const std::string& p : paths) {
      for (const char* value : {"v2", "1.5", "it's", "a\"b\\c", "", "x: y", "a,b", "null", "multi\nline", "é"}) {
        INFO("fixture " << fixture << "\npath " << p << " value [" << value << "]");
        std::string err;
        EditResult r;
        try {
          r = apply_edits(text, {set(p, value, true)}, "f.yaml");
        } catch (const InputError& e) {
          err = e.what();
        }
        CHECK(err == "");
        if (!err.empty()) continue;
        CHECK(differing_lines(text, r.text) <= 1);
        CHECK(r.changes.size() <= 1);
        // Applying it again is a no-op.
        CHECK(apply_edits(r.text, {set(p, value, true)}, "f.yaml").text == r.text);
      }
    }
  }
}
