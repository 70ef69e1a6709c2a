// Approval records: the canonical text is exact and stable, and only canonical text parses back.
#include <catch2/catch.hpp>

#include "runner/util/errors.hpp"
#include "steps/gate/approval_record.hpp"

using namespace std::chrono;
using namespace hoist;
using namespace hoist::promote;

namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

ApprovalRecord sample() {
  ApprovalRecord r;
  r.app = "api-gateway";
  r.environment = "prod";
  r.digest = kDigest;
  r.approver = "alice";
  r.time = TimePoint(sys_days{year{2026} / November / 22}) + hours(9) + minutes(30) + seconds(5);
  r.pipeline_url = "https://ci.example.com/p/42";
  r.comment = "checked the canary: fine";
  return r;
}

const std::string kText =
    "hoist-approval v1\n"
    "app: api-gateway\n"
    "environment: prod\n"
    "digest: sha256:" + std::string(64, 'a') + "\n"
    "approver: alice\n"
    "time: 2026-11-22T09:30:05Z\n"
    "pipeline: https://ci.example.com/p/42\n"
    "comment: checked the canary: fine\n";

std::string parse_error(const std::string& text) {
  try {
    parse_approval_record(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "parsed";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("record: the canonical text has one line per field in a fixed order", "[policy]") {
  CHECK(canonical_text(sample()) == kText);
}

TEST_CASE("record: empty optional fields are written without a trailing space", "[policy]") {
  ApprovalRecord r = sample();
  r.pipeline_url.clear();
  r.comment.clear();
  const std::string text = canonical_text(r);
  CHECK(text.find("pipeline:\ncomment:\n") != std::string::npos);
  const ApprovalRecord back = parse_approval_record(text);
  CHECK(back.pipeline_url.empty());
  CHECK(back.comment.empty());
}

TEST_CASE("record: parsing the canonical text gives the same record back", "[policy]") {
  const ApprovalRecord r = parse_approval_record(kText);
  CHECK(r.app == "api-gateway");
  CHECK(r.environment == "prod");
  CHECK(r.digest == kDigest);
  CHECK(r.approver == "alice");
  CHECK(r.time == sample().time);
  CHECK(r.pipeline_url == "https://ci.example.com/p/42");
  CHECK(r.comment == "checked the canary: fine");
  CHECK_FALSE(r.signature);
  CHECK(canonical_text(r) == kText);
}

TEST_CASE("record: values that cannot sit on one line are refused when writing", "[policy]") {
  ApprovalRecord r = sample();
  r.comment = "line one\napprover: mallory";
  CHECK_THROWS_WITH(canonical_text(r), "approval comment contains a control character or a line break");
  r = sample();
  r.approver = "";
  CHECK_THROWS_WITH(canonical_text(r), "approval approver is empty");
  r = sample();
  r.app = " api";
  CHECK_THROWS_WITH(canonical_text(r), "approval app has leading or trailing blanks");
  r = sample();
  r.digest = "sha256:ABC";
  CHECK_THROWS_WITH(canonical_text(r),
                    "approval digest 'sha256:ABC' is not sha256: followed by 64 lowercase hex digits");
}

TEST_CASE("record: anything but canonical text is refused with its line", "[policy]") {
  CHECK(parse_error("") == "approval record line 1: expected 'hoist-approval v1'");
  CHECK(parse_error(replace(kText, "hoist-approval v1", "hoist-approval v2")) ==
        "approval record line 1: expected 'hoist-approval v1'");
  CHECK(parse_error(kText.substr(0, kText.size() - 1)) == "approval record line 8: does not end with a line break");
  CHECK(parse_error(kText + "extra: 1\n") == "approval record line 9: unexpected line after 'comment:'");
  CHECK(parse_error(replace(kText, "comment: checked the canary: fine\n", "")) ==
        "approval record line 8: missing 'comment:'");
  CHECK(parse_error(replace(kText, "environment: prod\n", "approver: alice\n")) ==
        "approval record line 3: expected 'environment:'");
  CHECK(parse_error(replace(kText, "app: api", "app:  api")) ==
        "approval record line 2: app has leading or trailing blanks");
  CHECK(parse_error(replace(kText, "app: api-gateway", "app:api-gateway")) ==
        "approval record line 2: expected one space after 'app:'");
  CHECK(parse_error(replace(kText, "approver: alice", "approver:")) == "approval record line 5: approver is empty");
  CHECK(parse_error(replace(kText, "2026-11-22T09:30:05Z", "2026-11-22T09:30:05+00:00")) ==
        "approval record line 6: time '2026-11-22T09:30:05+00:00' is not UTC RFC 3339 like 2026-11-22T09:30:00Z");
  CHECK(parse_error(replace(kText, "2026-11-22", "2026-02-30")).find("line 6") != std::string::npos);
  CHECK(parse_error(replace(kText, std::string(64, 'a'), std::string(63, 'a'))).find("line 4") != std::string::npos);
  CHECK(parse_error(replace(kText, "\n", "\r\n")) == "approval record line 1: expected 'hoist-approval v1'");
}

TEST_CASE("record: RFC 3339 times round-trip and are strict", "[policy]") {
  const TimePoint t = TimePoint(sys_days{year{2024} / February / 29}) + hours(23) + minutes(59) + seconds(59);
  CHECK(format_rfc3339(t) == "2024-02-29T23:59:59Z");
  CHECK(parse_rfc3339("2024-02-29T23:59:59Z") == t);
  CHECK(format_rfc3339(TimePoint{}) == "1970-01-01T00:00:00Z");
  CHECK_FALSE(parse_rfc3339("2023-02-29T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2024-02-28T24:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2024-02-28 10:00:00Z"));
  CHECK_FALSE(parse_rfc3339("2024-02-28T10:00:00z"));
}
