#include <catch2/catch.hpp>

#include "runner/util/duration.hpp"

using namespace std::chrono_literals;
using hoist::format_duration;
using hoist::parse_duration;

TEST_CASE("durations parse as users write them", "[duration]") {
  CHECK(parse_duration("500ms") == 500ms);
  CHECK(parse_duration("30s") == 30s);
  CHECK(parse_duration("10m") == 10min);
  CHECK(parse_duration("1h30m") == 90min);
  CHECK(parse_duration("45") == 45s);
  CHECK_FALSE(parse_duration("").has_value());
  CHECK_FALSE(parse_duration("10x").has_value());
  CHECK_FALSE(parse_duration("m").has_value());
  CHECK_FALSE(parse_duration("-5s").has_value());
}

TEST_CASE("durations format compactly", "[duration]") {
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(1500ms) == "1.5s");
  CHECK(format_duration(45s) == "45s");
  CHECK(format_duration(90min) == "1h30m");
  CHECK(format_duration(10min) == "10m");
}
