// Quoting of new values: the old scalar's style is kept, and a plain value that would change type or meaning if
// left plain is double-quoted.

#include <catch2/catch.hpp>
#include <random>
#include <regex>

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

namespace {
// plain_type as it was, with std::regex (safe here: the inputs are short), to check the hand matchers against.
PlainType regex_plain_type(const std::string& value) {
  static const std::regex null_re("~|null|Null|NULL");
  static const std::regex bool_re("[yY]|[nN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  static const std::regex int_re(
      "[-+]?[0-9][0-9_]*|[-+]?0o[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+");
  static const std::regex float_re(
      "[-+]?([0-9][0-9_]*)?\\.?[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  static const std::regex time_re("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");
  static const std::regex other_re("<<|=");
  if (value.empty()) return PlainType::null;
  if (value == "." || value == "+" || value == "-" || value == "_") return PlainType::string;
  auto is = [&](const std::regex& re) { return std::regex_match(value, re); };
  if (is(null_re)) return PlainType::null;
  if (is(bool_re)) return PlainType::boolean;
  if (is(int_re)) return PlainType::integer;
  if (is(float_re)) return PlainType::floating;
  if (is(time_re)) return PlainType::timestamp;
  if (is(other_re)) return PlainType::other;
  return PlainType::string;
}
}  // namespace

TEST_CASE("plain scalar types are matched by hand exactly as the YAML resolution patterns", "[yamledit]") {
  std::vector<std::string> values = {".inf", "+.Inf", "-.INF", ".nan", "-.nan", ".NaN", "+.NAN", "1:30", "1:30.5",
                                     "-1:59:59", "1:60", "1:5", "1:05:", "190:20:30.15", "0o17", "+0x1F_a", "0b1_0",
                                     "0b2", "0o8", "0x", "1e3", "1.5E-3", "1.e+5", ".5e", "e5", "1_000.000_1", "<<", "=",
                                     "null", "NULL", "yes", "ON", "oFF", "~", "~~"};
  for (std::string y : {"2024", "202", "20245"})
    for (std::string m : {"1", "01", "123", ""})
      for (std::string d : {"1", "31", "312", ""})
        for (std::string rest : {"", "T", "t10:00:00Z", " 1", "x", "T\r", "Ta\nb", "Tab\x01", "-"})
          values.push_back(y + "-" + m + "-" + d + rest);
  // every string of up to 4 characters over an alphabet of the patterns' characters
  const std::string alphabet = "0169_.:-+eExobT \na";
  std::vector<std::string> level = {""};
  for (int len = 1; len <= 4; ++len) {
    std::vector<std::string> next;
    for (const auto& p : level)
      for (char c : alphabet) next.push_back(p + c);
    values.insert(values.end(), next.begin(), next.end());
    level = std::move(next);
  }
  std::mt19937 rng(20261122);
  const std::string dense = "0123456789_.:-+eE";
  for (int n = 0; n < 30000; ++n) {
    std::string v;
    std::size_t len = 5 + rng() % 10;
    for (std::size_t i = 0; i < len; ++i) v += dense[rng() % dense.size()];
    values.push_back(v);
  }
  std::size_t mismatches = 0;
  for (const auto& v : values) {
    if (plain_type(v) == regex_plain_type(v)) continue;
    if (++mismatches > 10) break;
    FAIL_CHECK("value [" << v << "]: " << static_cast<int>(plain_type(v)) << " by hand, "
                         << static_cast<int>(regex_plain_type(v)) << " by the pattern");
  }
  CHECK(mismatches == 0);
}

TEST_CASE("1 MB values are quoted by type without overflowing the stack", "[yamledit]") {
  const std::string mb(1 << 20, '7');
  CHECK(plain_type(mb) == PlainType::integer);
  CHECK(plain_type("-" + mb + ".5e10") == PlainType::floating);
  CHECK(plain_type("1" + std::string(1 << 20, ':') ) == PlainType::string);
  std::string stamp = "2024-01-01T" + std::string(1 << 20, 'x');
  CHECK(plain_type(stamp) == PlainType::timestamp);
  CHECK(tag_line("old", stamp) == "image:\n  tag: \"" + stamp + "\"  # c\n");
  CHECK(tag_line("old", mb) == "image:\n  tag: \"" + mb + "\"  # c\n");
  CHECK(tag_line("1", mb) == "image:\n  tag: " + mb + "  # c\n");  // an integer for an integer stays plain
  std::string word(1 << 20, 'a');
  CHECK(tag_line("old", word) == "image:\n  tag: " + word + "  # c\n");
}
