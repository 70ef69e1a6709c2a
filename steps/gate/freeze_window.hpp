#pragma once
// Freeze windows: weekly periods in which a gate refuses every promotion, written as users think of them,
// "Fri 16:00 - Mon 08:00 +09:00". Each window keeps its own UTC offset, so one policy can hold windows of teams in
// several time zones, and a window may wrap around the end of the week (Fri → Mon).
//
// Syntax: DAY HH:MM - DAY HH:MM OFFSET
//   DAY     Mon Tue Wed Thu Fri Sat Sun (or the full English name; any case)
//   OFFSET  +HH:MM or -HH:MM, or Z / UTC for +00:00 (required: a window without a zone is ambiguous)
// The start is inside the window, the end is not. Start and end must differ.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace hoist::promote {

// Times are whole seconds since the Unix epoch, UTC. Tests inject them; production passes the system clock's now.
using TimePoint = std::chrono::sys_seconds;

class FreezeWindow {
 public:
  // Minutes since Monday 00:00 local time (0 .. 10079), and the offset from UTC in minutes (east positive).
  FreezeWindow(int start_minute, int end_minute, int offset_minutes, std::string text);

  // Whether `t` falls inside the window (start inclusive, end exclusive).
  bool contains(TimePoint t) const;
  // As the user wrote it.
  const std::string& text() const { return text_; }
  int offset_minutes() const { return offset_; }

 private:
  int start_;
  int end_;
  int offset_;
  std::string text_;
};

struct FreezeParseError {
  std::size_t offset = 0;  // byte offset in the text where the problem starts
  std::string message;
};

// Parses one window; on failure `error` says what and where (for a file:line:col pointing into the string).
std::optional<FreezeWindow> parse_freeze_window(std::string_view text, FreezeParseError& error);

// "Fri 18:30 +09:00": `t` as the local weekday and time at `offset_minutes`, for messages.
std::string format_local_time(TimePoint t, int offset_minutes);

}  // namespace hoist::promote
