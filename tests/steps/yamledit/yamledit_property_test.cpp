// Every scalar of every fixture, set to awkward values: each edit succeeds, the document then holds exactly that
// value at that path, and when the value was another one exactly one line changed. A cheap stand-in for the fuzzer.

#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include "steps/yamledit/key_path.hpp"
#include "steps/yamledit/yamledit.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using namespace hoist::test;
using namespace hoist::yamledit;

namespace {

struct Leaf {
  std::size_t doc = 0;             // which document of the file
  std::vector<PathSegment> path;
  std::string text;                // the path as a key path string
};

void leaf_paths(const YAML::Node& n, std::size_t doc, std::vector<PathSegment>& path, std::vector<Leaf>& out) {
  if (n.IsScalar() || n.IsNull()) {
    if (!path.empty()) out.push_back({doc, path, to_string(path)});
    return;
  }
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      PathSegment s;
      s.key = it->first.Scalar();
      path.push_back(s);
      leaf_paths(it->second, doc, path, out);
      path.pop_back();
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      PathSegment s;
      s.kind = PathSegment::Kind::index;
      s.index = i;
      path.push_back(s);
      leaf_paths(n[i], doc, path, out);
      path.pop_back();
    }
  }
}

// The documents of a file, a leading byte order mark left out.
std::vector<YAML::Node> documents(const std::string& text) {
  return YAML::LoadAll(text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text);
}

// The node at `path[i...]` below `n`, read only: a missing key is not added, and no Node is assigned to (yaml-cpp's
// Node::operator= would rewrite the tree).
YAML::Node node_at(const YAML::Node& n, const std::vector<PathSegment>& path, std::size_t i = 0) {
  if (i == path.size() || !n.IsDefined()) return n;
  const PathSegment& s = path[i];
  return node_at(s.kind == PathSegment::Kind::index ? n[s.index] : n[s.key], path, i + 1);
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
    std::vector<Leaf> leaves;
    std::vector<PathSegment> path;
    const std::vector<YAML::Node> before = documents(text);
    for (std::size_t d = 0; d < before.size(); ++d) leaf_paths(before[d], d, path, leaves);
    REQUIRE(!leaves.empty());
    for (const Leaf& leaf : leaves) {
      const YAML::Node old_node = node_at(before[leaf.doc], leaf.path);
      const bool was_string = old_node.IsScalar();
      for (const char* value : {"v2", "1.5", "it's", "a\"b\\c", "", "x: y", "a,b", "null", "multi\nline", "é"}) {
        INFO("fixture " << fixture << "\npath " << leaf.text << " value [" << value << "]");
        std::string err;
        EditResult r;
        try {
          r = apply_edits(text, {set(leaf.text, value, true)}, "f.yaml");
        } catch (const InputError& e) {
          err = e.what();
        }
        CHECK(err == "");
        if (!err.empty()) continue;
        // The document now says exactly `value` there, as a string.
        const YAML::Node now = node_at(documents(r.text).at(leaf.doc), leaf.path);
        INFO("after the edit:\n" << r.text);
        REQUIRE(now.IsDefined());
        CHECK(now.IsScalar());
        if (now.IsScalar()) CHECK(now.Scalar() == value);
        // A different value changed one span on one line; the same value may only have changed its quoting.
        if (!was_string || old_node.Scalar() != value) {
          CHECK(r.text != text);
          CHECK(differing_lines(text, r.text) == 1);
          CHECK(r.changes.size() == 1);
        } else {
          CHECK(differing_lines(text, r.text) <= 1);
        }
        // Applying it again is a no-op.
        CHECK(apply_edits(r.text, {set(leaf.text, value, true)}, "f.yaml").text == r.text);
      }
    }
  }
}
