#include <catch2/catch.hpp>

#include "runner/pipeline/template.hpp"
#include "runner/util/errors.hpp"

using namespace hoist;

namespace {
std::optional<std::string> lookup(const Reference& ref) {
  if (ref.kind == Reference::Kind::variable && ref.name == "APP") return std::string("api");
  if (ref.kind == Reference::Kind::step_output && ref.name == "image" && ref.output == "digest")
    return std::string("sha256:abc");
  return std::nullopt;
}
}  // namespace

TEST_CASE("references resolve, escapes stay literal, shell dollars pass through", "[template]") {
  auto t = parse_template("${APP}:$${APP} $HOME ${steps.image.digest}$");
  REQUIRE(t.errors.empty());
  CHECK(render(t, lookup) == "api:${APP} $HOME sha256:abc$");
  auto refs = t.references();
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].offset == 0);
  CHECK(refs[1].kind == Reference::Kind::step_output);
  CHECK(refs[1].spelled == "${steps.image.digest}");
}

TEST_CASE("malformed references are reported with their offset", "[template]") {
  auto t = parse_template("a ${1BAD} b ${steps.x} c ${open");
  REQUIRE(t.errors.size() == 3);
  CHECK(t.errors[0].first == 2);
  CHECK_THAT(t.errors[0].second, Catch::Contains("invalid reference '${1BAD}'"));
  CHECK_THAT(t.errors[1].second, Catch::Contains("${steps.ID.OUTPUT}"));
  CHECK_THAT(t.errors[2].second, Catch::Contains("unterminated"));
}

TEST_CASE("an unresolved reference names its place", "[template]") {
  Text text{"x-${NOPE}", Location{"p.yaml", 4, 10}, true};
  CHECK(location_in(text, 2).column == 13);
  try {
    render(text, lookup);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "p.yaml:4:13: undefined variable 'NOPE'");
  }
}
