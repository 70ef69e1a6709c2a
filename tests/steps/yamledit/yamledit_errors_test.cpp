// Edits the editor must refuse, with the exact messages users see, and the oracle that guards every edit.

#include <catch2/catch.hpp>

#include "steps/yamledit/verify.hpp"
#include "steps/yamledit/yamledit.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using namespace hoist::test;
using namespace hoist::yamledit;

namespace {
const std::string values = R"(image:
  repository: registry.example.com/shop/api
  tag: 1.0.0
sidecars:
- name: envoy
  image: envoy:1
notes: |
  free text
description: a long
  plain text
items: [1, 2]
)";
}

TEST_CASE("key paths that match nothing name the closest existing path", "[yamledit]") {
  CHECK(edit_error(values, {set("image.tga", "x")}) == "values.yaml: image.tga: no such key (closest: image.tag)");
  CHECK(edit_error("image:\n  repository: x\n", {set("image.tag", "x")}) ==
        "values.yaml: image.tag: no such key (closest: image.repository)");
  CHECK(edit_error(values, {set("image.tag.x", "x")}) ==
        "values.yaml: image.tag.x: no such key (image.tag is a string)");
  CHECK(edit_error(values, {set("sidecars[2].image", "x")}) ==
        "values.yaml: sidecars[2].image: no such item (sidecars has 1 items)");
  CHECK(edit_error(values, {set("sidecars[name=log].image", "x")}) ==
        "values.yaml: sidecars[name=log].image: no such item (no item of sidecars has name=log; names: envoy)");
  CHECK(edit_error(values, {set("image[0]", "x")}) ==
        "values.yaml: image[0]: no such item (image is a mapping, not a sequence)");
}

TEST_CASE("refused targets and inputs", "[yamledit]") {
  CHECK(edit_error(values, {set("image..tag", "x")}) ==
        "values.yaml: bad key path 'image..tag': empty key at column 7");
  CHECK(edit_error(values, {set("image", "x")}) == "values.yaml:2:3: image is a mapping, not a single value");
  CHECK(edit_error(values, {set("notes", "x")}) ==
        "values.yaml:7:8: notes is a block scalar (|); not supported as an edit target");
  CHECK(edit_error(values, {set("description", "x")}) ==
        "values.yaml:9:14: description is a scalar spanning several lines; not supported as an edit target");
  CHECK(edit_error(values, {set("items[*]", "x")}) ==
        "values.yaml: bad key path 'items[*]': expected '=' or ']' at column 8");
  CHECK(edit_error("a: [1, 2\nb: 3\n", {set("a", "x")}) == "values.yaml:2:2: end of sequence flow not found");
  CHECK(edit_error("a: 1\n", {set("a", "x"), set("b", "y")}) == "values.yaml: b: no such key (closest: a)");
  // An empty value with an anchor or reached through an alias (found by fuzzing: the value went before the `&v`).
  CHECK(edit_error("a: &v\nb: *v\n", {set("b", "x")}) ==
        "values.yaml:2:4: b is an empty value with an anchor, an alias or a tag; not supported as an edit target");
  CHECK(edit_error("a: &v\nb: 1\n", {set("a", "x")}) ==
        "values.yaml:1:4: a is an empty value with an anchor, an alias or a tag; not supported as an edit target");
  // ... or on the next line, where yaml-cpp gives it to the empty value; with a value there it would not parse.
  CHECK(edit_error("z:\n&a\n", {set("z", "x")}) ==
        "values.yaml:1:3: z is an empty value that the text after it would change once it has one (an anchor, a "
        "tag or text on the next line); not supported as an edit target");
  CHECK(edit_error("z:\n  &a\ny: 1\n", {set("z", "x")}).find("z is an empty value that the text") !=
        std::string::npos);
  CHECK(edit_error("a: &v x\n*v : 1\n", {set("a", "y")}) ==
        "values.yaml:1:7: a is also a mapping key through an alias; not supported as an edit target");
  CHECK(edit_error("&v name: 1\nb: *v\n", {set("b", "x")}) ==
        "values.yaml:1:4: b is an alias of a mapping key; not supported as an edit target");
  // Bytes that are not UTF-8 cannot be written into YAML (found by fuzzing: a created key that yaml-cpp misread).
  CHECK(edit_error("a: 1\n", {set("a", "caf\xe9")}) == "values.yaml: the new value is not valid UTF-8");
  CHECK(edit_error("a: 1\n", {set("\xff.b", "x", false, true)}) == "values.yaml: the key path is not valid UTF-8");
}

TEST_CASE("the oracle refuses results that change anything but the targets", "[yamledit]") {
  auto expect = [](std::vector<PathSegment> path, std::string value) {
    return std::vector<ExpectedValue>{ExpectedValue{0, std::move(path), std::move(value)}};
  };
  auto error = [](const std::string& before, const std::string& after, const std::vector<ExpectedValue>& e) {
    try {
      check_edit(before, after, e, "f.yaml");
    } catch (const InputError& err) {
      return std::string(err.what());
    }
    return std::string();
  };
  auto path = parse_key_path("image.tag");
  CHECK(error("image: {tag: 1, repo: x}\n", "image: {tag: 2, repo: x}\n", expect(path, "2")) == "");
  CHECK(error("image: {tag: 1, repo: x}\n", "image: {tag: 2, repo: y}\n", expect(path, "2")) ==
        "f.yaml: refusing the edit: it would also change its value at image.repo (line 1)");
  CHECK(error("image: {tag: 1, repo: x}\n", "image: {tag: 3, repo: x}\n", expect(path, "2")) ==
        "f.yaml: refusing the edit: image.tag does not hold '2' afterwards but '3'");
  CHECK(error("image: {tag: 1}\n", "image: {tag: 2\n", expect(path, "2")).starts_with(
      "f.yaml: refusing the edit: the result does not parse (2:1: "));
  CHECK(error("a: 1\nimage: {tag: 1}\n", "image: {tag: 2}\n", expect(path, "2")) ==
        "f.yaml: refusing the edit: it would also change its keys at a (line 1)");
  CHECK(error("a: 1\n", "a: 1\nimage:\n  tag: 2\n", expect(path, "2")) == "");  // created along the path
  CHECK(error("a: 1\n", "a: 1\nb: 2\nimage:\n  tag: 2\n", expect(path, "2")) ==
        "f.yaml: refusing the edit: it would also change its keys at b (line 1)");
  CHECK(error("a: &x 1\nb: *x\n", "a: &x 2\nb: *x\n", expect(parse_key_path("b"), "2")) == "");
  CHECK(error("a: &x 1\nb: *x\n", "a: 1\nb: 2\n", expect(parse_key_path("b"), "2")) ==
        "f.yaml: refusing the edit: it would also change an alias of the edited value at a (line 1)");
  CHECK(error("a: '1'\n", "a: 1\n", expect(parse_key_path("b"), "1")).starts_with("f.yaml: refusing the edit: b"));
}

TEST_CASE("error columns do not count a byte order mark", "[yamledit]") {
  CHECK(edit_error("\xEF\xBB\xBFnotes: |\n  x\n", {set("notes", "y")}) ==
        "values.yaml:1:8: notes is a block scalar (|); not supported as an edit target");
}

TEST_CASE("a selector skips items without its field instead of failing on them (found by fuzzing)", "[yamledit]") {
  const std::string text = "images:\n  - {newName: x, newTag: v2}\n  - name: web\n    newTag: v1\n";
  CHECK(apply_edits(text, {set("images[name=web].newTag", "v3")}, "k.yaml").text ==
        "images:\n  - {newName: x, newTag: v2}\n  - name: web\n    newTag: v3\n");
  CHECK(edit_error("images:\n  - {newName: x}\n", {set("images[name=web].newTag", "v3", false, true)}, "k.yaml") ==
        "k.yaml: images[name=web].newTag: no such item (no item of images has name=web); create makes mapping keys, "
        "not sequence items");
}

TEST_CASE("an empty value whose mark yaml-cpp puts at the next key's null word gets the value after its colon",
          "[yamledit]") {
  // `!t ~` is read as the next key (a lenient parse); the `~` is not z's value (found by fuzzing).
  CHECK(apply_edits("z: \n\n!t ~\n", {set("z", "")}, "v.yaml").text == "z: \"\" \n\n!t ~\n");
  CHECK(apply_edits("z: \n~\t\n", {set("z", "")}, "v.yaml").text == "z: \"\" \n~\t\n");
  CHECK(apply_edits("z:\n  ~\n", {set("z", "x")}, "v.yaml").text == "z:\n  x\n");
}
