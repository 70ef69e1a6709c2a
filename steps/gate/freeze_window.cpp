// Parsing and testing weekly freeze windows (see freeze_window.hpp for the syntax).
#include "steps/gate/freeze_window.hpp"

#include <array>
#include <cctype>
#include <cstdio>

#include "runner/util/did_you_mean.hpp"
#include "runner/util/strings.hpp"

namespace hoist::promote {
namespace {

constexpr int kMinutesPerWeek = 7 * 24 * 60;
const std::array<std::string, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const std::array<std::string, 7> kFullDays = {"monday", "tuesday", "wednesday", "thursday",
                                              "friday", "saturday", "sunday"};


// A tiny cursor that remembers where each token began, so errors point at the right column.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  void skip_spaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  std::size_t pos() const { return pos_; }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void advance(std::size_t n = 1) { pos_ += n; }
  // The run of characters that are not blanks (the next "word"), for messages.
  std::string_view word() const {
    std::size_t end = pos_;
    while (end < text_.size() && text_[end] != ' ' && text_[end] != '\t') ++end;
    return text_.substr(pos_, end - pos_);
  }
  std::string_view letters() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // Exactly two digits; nullopt (cursor unmoved) otherwise.
  std::optional<int> two_digits() {
    if (pos_ + 2 > text_.size() || !std::isdigit(static_cast<unsigned char>(text_[pos_])) ||
        !std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])))
      return std::nullopt;
    int v = (text_[pos_] - '0') * 10 + (text_[pos_ + 1] - '0');
    pos_ += 2;
    return v;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool fail(FreezeParseError& error, std::size_t offset, std::string message) {
  error.offset = offset;
  error.message = std::move(message);
  return false;
}

std::string quoted(std::string_view s) { return s.empty() ? "nothing" : "'" + std::string(s) + "'"; }

bool read_day(Cursor& c, int& day, FreezeParseError& error) {
  c.skip_spaces();
  std::size_t at = c.pos();
  std::string_view shown = c.word();
  std::string word = ascii_lower(c.letters());
  for (int i = 0; i < 7; ++i) {
    if (word == ascii_lower(kDays[i]) || word == kFullDays[i]) {
      day = i;
      return true;
    }
  }
  std::vector<std::string> names(kDays.begin(), kDays.end());
  const std::string suggestion = did_you_mean_suffix(shown, names);
  return fail(error, at, "expected a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun), got " + quoted(shown) + suggestion);
}

bool read_time(Cursor& c, int& minutes, FreezeParseError& error) {
  c.skip_spaces();
  std::size_t at = c.pos();
  std::string_view shown = c.word();
  auto h = c.two_digits();
  bool colon = h && c.peek() == ':';
  if (colon) c.advance();
  auto m = colon ? c.two_digits() : std::nullopt;
  if (!h || !m) return fail(error, at, "expected a time as HH:MM, got " + quoted(shown));
  if (*h > 23) return fail(error, at, "hour " + std::to_string(*h) + " is out of range (00-23)");
  if (*m > 59) return fail(error, at + 3, "minute " + std::to_string(*m) + " is out of range (00-59)");
  minutes = *h * 60 + *m;
  return true;
}

bool read_offset(Cursor& c, int& offset, FreezeParseError& error) {
  c.skip_spaces();
  std::size_t at = c.pos();
  std::string_view shown = c.word();
  if (shown == "Z" || shown == "UTC") {
    c.advance(shown.size());
    offset = 0;
    return true;
  }
  const char sign = c.peek();
  if (sign == '+' || sign == '-') {
    c.advance();
    auto h = c.two_digits();
    bool colon = h && c.peek() == ':';
    if (colon) c.advance();
    auto m = colon ? c.two_digits() : std::nullopt;
    if (h && m) {
      if (*h > 14 || *m > 59) return fail(error, at, "UTC offset " + quoted(shown) + " is out of range");
      offset = (sign == '-' ? -1 : 1) * (*h * 60 + *m);
      return true;
    }
  }
  return fail(error, at, "expected a UTC offset (+HH:MM, -HH:MM or Z), got " + quoted(shown));
}

}  // namespace

FreezeWindow::FreezeWindow(int start_minute, int end_minute, int offset_minutes, std::string text)
    : start_(start_minute), end_(end_minute), offset_(offset_minutes), text_(std::move(text)) {}

bool FreezeWindow::contains(TimePoint t) const {
  using namespace std::chrono;
  // 1970-01-01 was a Thursday: shift so that minute 0 is a Monday 00:00, in the window's own offset.
  const long long local = duration_cast<minutes>(t.time_since_epoch()).count() + offset_ + 3LL * 24 * 60;
  const int m = static_cast<int>(((local % kMinutesPerWeek) + kMinutesPerWeek) % kMinutesPerWeek);
  if (start_ < end_) return start_ <= m && m < end_;
  return m >= start_ || m < end_;  // wraps around the end of the week
}

std::optional<FreezeWindow> parse_freeze_window(std::string_view text, FreezeParseError& error) {
  Cursor c(text);
  int start_day = 0, start_time = 0, end_day = 0, end_time = 0, offset = 0;
  if (!read_day(c, start_day, error) || !read_time(c, start_time, error)) return std::nullopt;
  c.skip_spaces();
  if (c.peek() != '-') {
    fail(error, c.pos(), "expected '-' between the start and the end of the window, got " + quoted(c.word()));
    return std::nullopt;
  }
  c.advance();
  if (!read_day(c, end_day, error) || !read_time(c, end_time, error) || !read_offset(c, offset, error))
    return std::nullopt;
  c.skip_spaces();
  if (!c.at_end()) {
    fail(error, c.pos(), "unexpected " + quoted(c.word()) + " after the UTC offset");
    return std::nullopt;
  }
  const int start = start_day * 24 * 60 + start_time;
  const int end = end_day * 24 * 60 + end_time;
  if (start == end) {
    fail(error, 0, "the window starts where it ends");
    return std::nullopt;
  }
  return FreezeWindow(start, end, offset, std::string(text));
}

std::string format_local_time(TimePoint t, int offset_minutes) {
  using namespace std::chrono;
  const sys_seconds local = t + minutes(offset_minutes);
  const sys_days day = floor<days>(local);
  const hh_mm_ss hms(local - day);
  const unsigned wd = weekday(day).iso_encoding();  // 1 = Monday
  char buf[64];
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%s %02d:%02d %c%02d:%02d", kDays[wd - 1].c_str(),
                static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

}  // namespace hoist::promote
