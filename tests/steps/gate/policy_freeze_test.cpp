// Freeze windows: parsing, containment in the window's own UTC offset, and wrap-around over the end of the week.
#include <catch2/catch.hpp>

#include "steps/gate/freeze_window.hpp"

using namespace std::chrono;
using namespace hoist::promote;

namespace {

// 2026-11-23 is a Monday.
TimePoint utc(int day_of_november, int hour, int minute = 0) {
  return TimePoint(sys_days{year{2026} / November / day_of_november}) + hours(hour) + minutes(minute);
}

FreezeWindow window(std::string_view text) {
  FreezeParseError error;
  auto w = parse_freeze_window(text, error);
  INFO(error.message);
  REQUIRE(w);
  return *w;
}

}  // namespace

TEST_CASE("freeze: a window wrapping from Friday to Monday, in +09:00", "[policy]") {
  const FreezeWindow w = window("Fri 16:00 - Mon 08:00 +09:00");
  CHECK_FALSE(w.contains(utc(27, 6, 59)));  // Fri 15:59 in Tokyo
  CHECK(w.contains(utc(27, 7, 0)));         // Fri 16:00 in Tokyo: the start is inside
  CHECK(w.contains(utc(28, 12)));           // Saturday
  CHECK(w.contains(utc(29, 22, 59)));       // Mon 07:59 in Tokyo
  CHECK_FALSE(w.contains(utc(29, 23, 0)));  // Mon 08:00 in Tokyo: the end is outside
  CHECK_FALSE(w.contains(utc(25, 12)));     // Wednesday
  CHECK_FALSE(w.contains(utc(27, 3)));      // Fri 12:00 in Tokyo
}

TEST_CASE("freeze: a negative offset moves the window later in UTC", "[policy]") {
  const FreezeWindow w = window("Fri 16:00 - Fri 18:00 -05:00");
  CHECK_FALSE(w.contains(utc(27, 16)));  // 11:00 in New York
  CHECK(w.contains(utc(27, 21)));        // 16:00 in New York
  CHECK(w.contains(utc(27, 22, 59)));
  CHECK_FALSE(w.contains(utc(27, 23)));
}

TEST_CASE("freeze: a Monday-morning window in +09:00 is Sunday in UTC", "[policy]") {
  const FreezeWindow w = window("Mon 00:00 - Mon 02:00 +09:00");
  CHECK(w.contains(utc(29, 16)));          // Sunday 16:00 UTC = Monday 01:00 in Tokyo
  CHECK_FALSE(w.contains(utc(30, 1)));     // Monday 01:00 UTC = Monday 10:00 in Tokyo
}

TEST_CASE("freeze: a window over the week boundary in UTC", "[policy]") {
  const FreezeWindow w = window("sunday 22:00 - MON 02:00 Z");
  CHECK_FALSE(w.contains(utc(29, 21, 59)));
  CHECK(w.contains(utc(29, 23)));
  CHECK(w.contains(utc(30, 1, 59)));
  CHECK_FALSE(w.contains(utc(30, 2)));
  CHECK(w.contains(utc(22, 23)));  // the week before too: windows repeat weekly
}

TEST_CASE("freeze: a window nearly a whole week long", "[policy]") {
  const FreezeWindow w = window("Tue 00:00 - Mon 23:00 UTC");
  CHECK(w.contains(utc(25, 12)));
  CHECK_FALSE(w.contains(utc(23, 23, 30)));
}

TEST_CASE("freeze: parse errors say where", "[policy]") {
  FreezeParseError e;
  CHECK_FALSE(parse_freeze_window("Fri 16:00 Mon 08:00 +09:00", e));
  CHECK(e.offset == 10);
  CHECK(e.message == "expected '-' between the start and the end of the window, got 'Mon'");
  CHECK_FALSE(parse_freeze_window("Fri 16:60 - Mon 08:00 +09:00", e));
  CHECK(e.offset == 7);
  CHECK(e.message == "minute 60 is out of range (00-59)");
  CHECK_FALSE(parse_freeze_window("Fri 16:00 - Mon 08:00 +0900", e));
  CHECK(e.offset == 22);
  CHECK_FALSE(parse_freeze_window("Fri 16:00 - Mon 08:00 +15:00", e));
  CHECK(e.message == "UTC offset '+15:00' is out of range");
  CHECK_FALSE(parse_freeze_window("", e));
  CHECK(e.message == "expected a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun), got nothing");
}

TEST_CASE("freeze: times are shown in the window's offset", "[policy]") {
  CHECK(format_local_time(utc(27, 7, 5), 540) == "Fri 16:05 +09:00");
  CHECK(format_local_time(utc(30, 2), -330) == "Sun 20:30 -05:30");
}
