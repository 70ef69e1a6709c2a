// create: true inserts missing keys in the file's own indentation, at the end of the parent mapping.

#include <catch2/catch.hpp>

#include "steps/yamledit/yamledit.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using namespace hoist::test;
using hoist::yamledit::apply_edits;

TEST_CASE("create: a missing key goes after the parent's last line, before trailing comments", "[yamledit]") {
  const std::string t = R"(image:
    repository: registry.example.com/shop/api
    pullPolicy: Always
    # tag is set by CI

service:
    port: 80
)";
  auto r = apply_edits(t, {set("image.tag", "1.5", false, true)}, "values.yaml");
  CHECK(r.text == R"(image:
    repository: registry.example.com/shop/api
    pullPolicy: Always
    tag: "1.5"
    # tag is set by CI

service:
    port: 80
)");
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].line == 4);
  CHECK(r.changes[0].old_value == "");
  CHECK(r.changes[0].new_value == "1.5");
}

TEST_CASE("create: intermediate mappings, nested sequences, the file's indent step", "[yamledit]") {
  const std::string t = R"(api:
   containers:
   - name: app
     image: x
# end of api
worker:
   replicas: 1
)";
  auto r = apply_edits(t, {set("api.image.tag", "abc", false, true)}, "values.yaml");
  CHECK(r.text == R"(api:
   containers:
   - name: app
     image: x
   image:
      tag: abc
# end of api
worker:
   replicas: 1
)");
  CHECK(r.changes[0].line == 6);
  CHECK(r.changes[0].path == "api.image.tag");
  auto item = apply_edits(t, {set("api.containers[name=app].resources.cpu", "1", false, true)}, "values.yaml");
  CHECK(item.text == R"(api:
   containers:
   - name: app
     image: x
     resources:
        cpu: "1"
# end of api
worker:
   replicas: 1
)");
}

TEST_CASE("create: at the root, with CRLF and without a final newline", "[yamledit]") {
  auto r = apply_edits("a: 1\r\nb:\r\n  c: 2", {set("image.tag", "v1", false, true)}, "values.yaml");
  CHECK(r.text == "a: 1\r\nb:\r\n  c: 2\r\nimage:\r\n  tag: v1");
  auto s = apply_edits("a: 1\r\nb:\r\n  c: 2", {set("b.d", "v1", false, true)}, "values.yaml");
  CHECK(s.text == "a: 1\r\nb:\r\n  c: 2\r\n  d: v1");
  // An existing key is just set.
  CHECK(apply_edits("a: 1\n", {set("a", "v2", false, true)}, "values.yaml").text == "a: v2\n");
}

TEST_CASE("create: one key in a flow mapping goes after its last entry, on its line", "[yamledit]") {
  CHECK(apply_edits("image: {repository: x}\n", {set("image.tag", "v1", false, true)}, "values.yaml").text ==
        "image: {repository: x, tag: v1}\n");
  // Spaces, a trailing comma, quoted values holding braces and commas, a comment: every other byte stays.
  CHECK(apply_edits("image: { repository: \"a}b,\" ,  }  # c\n", {set("image.tag", "v1", false, true)}, "v.yaml").text ==
        "image: { repository: \"a}b,\" , tag: v1  }  # c\n");
  CHECK(apply_edits("image: {'r': 'it''s}', n: {a: 1}  # {\n  }\nx: 1\n", {set("image.tag", "a: b", false, true)},
                    "v.yaml")
            .text == "image: {'r': 'it''s}', n: {a: 1}, tag: \"a: b\"  # {\n  }\nx: 1\n");
  auto r = apply_edits("a: 1\nimage: {}\nb: 2\n", {set("b", "3"), set("image.tag", "v1", false, true)}, "v.yaml");
  CHECK(r.text == "a: 1\nimage: {tag: v1}\nb: 3\n");
  REQUIRE(r.changes.size() == 2);
  CHECK(r.changes[0].line == 3);  // no line was added
  CHECK(r.changes[1].line == 2);
}

TEST_CASE("create: refused for nested keys in flow mappings, sequences, multi-document files", "[yamledit]") {
  CHECK(edit_error("image: {repository: x}\n", {set("image.a.tag", "1", false, true)}) ==
        "values.yaml: image.a.tag: cannot create nested mappings in the flow mapping image at 1:8");
  CHECK(edit_error("list: [a]\n", {set("list[3]", "1", false, true)}) ==
        "values.yaml: list[3]: no such item (list has 1 items); create makes mapping keys, not sequence items");
  CHECK(edit_error("a: 1\n---\nb: 2\n", {set("c", "1", false, true)}) ==
        "values.yaml: c: no such key (closest: a); create works only in single-document files");
  CHECK(edit_error("image: x\n", {set("image.tag", "1", false, true)}) ==
        "values.yaml: image.tag: no such key (image is a string); cannot create keys in image, which is a string");
}

TEST_CASE("create: lines of earlier changes follow the inserted lines", "[yamledit]") {
  const std::string t = "image:\n  repository: x\nservice:\n  port: 80\n";
  auto r = apply_edits(t, {set("service.port", "8080"), set("image.tag", "v2", false, true)}, "values.yaml");
  CHECK(r.text == "image:\n  repository: x\n  tag: v2\nservice:\n  port: 8080\n");  // an integer stays one
  REQUIRE(r.changes.size() == 2);
  CHECK(r.changes[0].line == 5);
  CHECK(r.changes[1].line == 3);
}
