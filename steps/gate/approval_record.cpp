// The canonical text of an approval, and its strict parser (see approval_record.hpp).
#include "steps/gate/approval_record.hpp"

#include <array>
#include <cstdio>
#include <vector>

#include "runner/util/errors.hpp"

namespace hoist::promote {
namespace {

constexpr std::string_view kHeader = "hoist-approval v1";

struct Field {
  std::string_view key;
  bool required;
};
constexpr std::array<Field, 7> kFields = {{{"app", true},
                                           {"environment", true},
                                           {"digest", true},
                                           {"approver", true},
                                           {"time", true},
                                           {"pipeline", false},
                                           {"comment", false}}};

// Why `value` cannot be a canonical field value, or "" when it can.
std::string value_problem(std::string_view value, bool required) {
  if (value.empty()) return required ? "is empty" : "";
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f) return "contains a control character or a line break";
  if (value.front() == ' ' || value.back() == ' ') return "has leading or trailing blanks";
  return "";
}

int digits(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

bool is_digest(std::string_view text) {
  constexpr std::string_view prefix = "sha256:";
  if (text.size() != prefix.size() + 64 || text.substr(0, prefix.size()) != prefix) return false;
  for (char c : text.substr(prefix.size()))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string format_rfc3339(TimePoint t) {
  using namespace std::chrono;
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss hms(t - day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::optional<TimePoint> parse_rfc3339(std::string_view s) {
  using namespace std::chrono;
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
    return std::nullopt;
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint(sys_days(ymd)) + hours(h) + minutes(mi) + seconds(sec);
}

std::string canonical_text(const ApprovalRecord& r) {
  const std::string time = format_rfc3339(r.time);
  const std::array<const std::string*, 7> values = {&r.app,      &r.environment,  &r.digest, &r.approver,
                                                    &time,       &r.pipeline_url, &r.comment};
  std::string out(kHeader);
  out += "\n";
  for (std::size_t i = 0; i < kFields.size(); ++i) {
    const std::string& v = *values[i];
    if (std::string problem = value_problem(v, kFields[i].required); !problem.empty())
      throw InputError("approval " + std::string(kFields[i].key) + " " + problem);
    if (kFields[i].key == "digest" && !is_digest(v))
      throw InputError("approval digest '" + v + "' is not sha256: followed by 64 lowercase hex digits");
    out += std::string(kFields[i].key) + ":" + (v.empty() ? "" : " " + v) + "\n";
  }
  return out;
}

ApprovalRecord parse_approval_record(std::string_view text) {
  auto fail = [](std::size_t line, const std::string& message) -> InputError {
    return InputError("approval record line " + std::to_string(line) + ": " + message);
  };
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) throw fail(lines.size() + 1, "does not end with a line break");
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.empty() || lines[0] != kHeader) throw fail(1, "expected '" + std::string(kHeader) + "'");
  if (lines.size() > kFields.size() + 1)
    throw fail(kFields.size() + 2, "unexpected line after '" + std::string(kFields.back().key) + ":'");
  if (lines.size() < kFields.size() + 1)
    throw fail(lines.size() + 1, "missing '" + std::string(kFields[lines.size() - 1].key) + ":'");

  std::array<std::string, kFields.size()> values;
  for (std::size_t i = 0; i < kFields.size(); ++i) {
    const std::string_view line = lines[i + 1];
    const std::string key(kFields[i].key);
    const std::size_t n = i + 2;
    if (line.substr(0, key.size() + 1) != key + ":") throw fail(n, "expected '" + key + ":'");
    std::string_view rest = line.substr(key.size() + 1);
    if (!rest.empty()) {
      if (rest.front() != ' ' || rest.size() == 1) throw fail(n, "expected one space after '" + key + ":'");
      rest.remove_prefix(1);
    }
    if (std::string problem = value_problem(rest, kFields[i].required); !problem.empty())
      throw fail(n, key + " " + problem);
    values[i] = std::string(rest);
  }
  ApprovalRecord r;
  r.app = values[0];
  r.environment = values[1];
  r.digest = values[2];
  r.approver = values[3];
  r.pipeline_url = values[5];
  r.comment = values[6];
  if (!is_digest(r.digest))
    throw fail(4, "digest '" + r.digest + "' is not sha256: followed by 64 lowercase hex digits");
  auto t = parse_rfc3339(values[4]);
  if (!t) throw fail(6, "time '" + values[4] + "' is not UTC RFC 3339 like 2026-11-22T09:30:00Z");
  r.time = *t;
  return r;
}

}  // namespace hoist::promote
