// Quoting of new values: the old scalar's style is kept, and a plain value that would change type or meaning if
// left plain is double-quoted.

#include <catch2/catch.hpp>

#include "steps/yamledit/scalar_span.hpp"
#include "steps/yamledit/scalar_style.hpp"
#include "steps/yamledit/yamledit.hpp"
#include "tests/support/yamledit_helpers.hpp"

using namespace hoist;
using namespace hoist::test;
using namespace hoist::yamledit;

namespace {
// The `tag:` line after setting it to `value`, starting from `tag: <old>  # c`.
std::string tag_line(const std::string& old, const std::string& value) {
  std::string t = "image:\n  tag: " + old + "  # c\n";
  return apply_edits(t, {set("image.tag", value)}, "v.yaml").text;
}
}  // namespace

TEST_CASE("plain values that would change type or meaning are double-quoted", "[yamledit]") {
  for (const char* v : {"1.5", "true", "False", "yes", "off", "y", "0123", "1e3", "123", "-1", "0x1F", "0o17",
                        "null", "~", "", " lead", "trail ", "a: b", "a #b", "*ref", "&anchor", "!tag", "|x", ">x",
                        "%x", "@x", "`x", "'x", "\"x", "- x", "-", "? x", "{x", "[x", "#x", "1:30", ".inf", ".NaN",
                        "2024-01-31", "<<", "x:"}) {
    INFO("value [" << v << "]");
    CHECK_FALSE(plain_is_safe(v, false));
  }
  for (const char* v : {"abc1234", "1.2.3", "v1.5", "1.4.0-rc.1", "registry.example.com:5000/x:1", "a-b", "-x",
                        "x#y", "main", "sha256:abcd", "release/1.0"}) {
    INFO("value [" << v << "]");
    CHECK(plain_is_safe(v, false));
  }
  CHECK_FALSE(plain_is_safe("a,b", true));
  CHECK(plain_is_safe("a,b", false));

  CHECK(tag_line("old", "1.5") == "image:\n  tag: \"1.5\"  # c\n");
  CHECK(tag_line("old", "true") == "image:\n  tag: \"true\"  # c\n");
  CHECK(tag_line("old", "0123") == "image:\n  tag: \"0123\"  # c\n");
  CHECK(tag_line("old", "") == "image:\n  tag: \"\"  # c\n");
  CHECK(tag_line("old", "a #b") == "image:\n  tag: \"a #b\"  # c\n");
  CHECK(tag_line("old", "1.5.1") == "image:\n  tag: 1.5.1  # c\n");
}

TEST_CASE("quoted values keep their quotes and escape what they must", "[yamledit]") {
  CHECK(tag_line("'old'", "it's") == "image:\n  tag: 'it''s'  # c\n");
  CHECK(tag_line("'old'", "1.5") == "image:\n  tag: '1.5'  # c\n");
  CHECK(tag_line("\"old\"", "a\"b\\c") == "image:\n  tag: \"a\\\"b\\\\c\"  # c\n");
  CHECK(tag_line("\"old\"", "tab\there\nnl") == "image:\n  tag: \"tab\\there\\nnl\"  # c\n");
  CHECK(tag_line("'old'", "line\nbreak") == "image:\n  tag: \"line\\nbreak\"  # c\n");
  CHECK(tag_line("\"o\\\"l'd\"", "new") == "image:\n  tag: \"new\"  # c\n");
  CHECK(tag_line("'o''ld'", "new") == "image:\n  tag: 'new'  # c\n");
  CHECK(tag_line("&a !!str 'old'", "new") == "image:\n  tag: &a !!str 'new'  # c\n");
  CHECK(double_quoted(std::string("\x01\x7f", 2)) == "\"\\x01\\x7F\"");
}

TEST_CASE("scalar spans end where the style says", "[yamledit]") {
  auto span = [](const std::string& text, std::size_t pos, bool flow) {
    ScalarSpan s = find_scalar_span(text, pos, flow);
    return text.substr(s.begin, s.end - s.begin);
  };
  CHECK(span("a: x y  # c\n", 3, false) == "x y");
  CHECK(span("a: x#y\n", 3, false) == "x#y");
  CHECK(span("a: host:5000/x\r\n", 3, false) == "host:5000/x");
  CHECK(span("a: {b: x, c: y}", 7, true) == "x");
  CHECK(span("a: [x y, z]", 4, true) == "x y");
  CHECK(span("a: 'it''s' # c", 3, false) == "'it''s'");
  CHECK(span("a: \"q\\\"\" # c", 3, false) == "\"q\\\"\"");
  CHECK(span("a: &x !t v", 3, false) == "v");
  CHECK(find_scalar_span("a: |\n  x\n", 3, false).problem == "a block scalar (|)");
  CHECK(find_scalar_span("a: 'x\n  y'\n", 3, false).problem == "a quoted scalar spanning several lines");
  ScalarSpan d = find_scalar_span("\"a\\x41\\u00e9\\n\"", 0, false);
  CHECK(decode_scalar("\"a\\x41\\u00e9\\n\"", d) == "aA\xC3\xA9\n");
}
