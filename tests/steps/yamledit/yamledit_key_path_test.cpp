// Key path syntax: what users type after --set and in `set:` of manifest/bump.

#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/yamledit/key_path.hpp"

using namespace hoist;
using namespace hoist::yamledit;

namespace {
std::string error_of(const std::string& path) {
  try {
    parse_key_path(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("key paths: keys, indexes, selectors and quoted keys", "[yamledit]") {
  auto p = parse_key_path("spec.containers[name=app].image");
  REQUIRE(p.size() == 4);
  CHECK(p[0].kind == PathSegment::Kind::key);
  CHECK(p[0].key == "spec");
  CHECK(p[1].key == "containers");
  CHECK(p[2].kind == PathSegment::Kind::match);
  CHECK(p[2].key == "name");
  CHECK(p[2].value == "app");
  CHECK(p[2].column == 16);
  CHECK(p[3].key == "image");

  auto q = parse_key_path("sidecars[0].image.tag");
  REQUIRE(q.size() == 4);
  CHECK(q[1].kind == PathSegment::Kind::index);
  CHECK(q[1].index == 0);

  auto dotted = parse_key_path("metadata.annotations.\"app.kubernetes.io/version\"");
  REQUIRE(dotted.size() == 3);
  CHECK(dotted[2].key == "app.kubernetes.io/version");
  CHECK(parse_key_path("metadata.annotations[\"app.kubernetes.io/version\"]") == dotted);

  auto kustomize = parse_key_path("images[name=registry.example.com:5000/shop/api].newTag");
  REQUIRE(kustomize.size() == 3);
  CHECK(kustomize[1].value == "registry.example.com:5000/shop/api");

  CHECK(to_string(dotted) == "metadata.annotations.\"app.kubernetes.io/version\"");
  CHECK(to_string(parse_key_path("a[3].b[name=x].c")) == "a[3].b[name=x].c");
  CHECK(to_string(parse_key_path("[0].a")) == "[0].a");
  // A selector field starting with a digit is printed quoted, or it would read back as an index (found by fuzzing).
  CHECK(to_string(parse_key_path("a[\"0a\"=x]")) == "a[\"0a\"=x]");
  CHECK(parse_key_path(to_string(parse_key_path("a[\"0a\"=x]"))) == parse_key_path("a[\"0a\"=x]"));
}

TEST_CASE("key paths: syntax errors name the column", "[yamledit]") {
  CHECK(error_of("") == "bad key path '': empty path at column 1");
  CHECK(error_of("a..b") == "bad key path 'a..b': empty key at column 3");
  CHECK(error_of("a.") == "bad key path 'a.': expected a key after '.' at column 3");
  CHECK(error_of("a[0") == "bad key path 'a[0': expected ']' after the index at column 4");
  CHECK(error_of("a[]") == "bad key path 'a[]': empty selector at column 3");
  CHECK(error_of("a[name]") == "bad key path 'a[name]': expected '=' or ']' at column 7");
  CHECK(error_of("a[name=x") == "bad key path 'a[name=x': expected ']' at column 2");
  CHECK(error_of("a.\"b") == "bad key path 'a.\"b': unterminated quote at column 3");
  CHECK(error_of("a]") == "bad key path 'a]': unexpected ']' at column 2");
  CHECK(error_of("a b") == "bad key path 'a b': unexpected ' ' at column 2");
}
