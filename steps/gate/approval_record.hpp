#pragma once
// One approval: "this approver allows this digest of this app into this environment", and the canonical text that
// is signed and stored. The text is deterministic (a fixed header, then exactly one "key: value" line per field in
// a fixed order, each line ending in "\n"), so the same approval always yields the same bytes and a signature over
// them means one thing only. Parsing is strict: anything that would not be produced by format is rejected.
//
//   hoist-approval v1
//   app: api-gateway
//   environment: prod
//   digest: sha256:0123...cdef
//   approver: alice
//   time: 2026-11-22T09:30:00Z
//   pipeline: https://gitlab.example.com/shop/api/-/pipelines/42
//   comment: checked the canary
//
// Optional fields that are empty are written as "pipeline:" / "comment:" (no trailing space). Values are single
// lines of printable text without leading or trailing blanks.

#include <optional>
#include <string>
#include <string_view>

#include "steps/gate/freeze_window.hpp"  // TimePoint

namespace hoist::promote {

struct ApprovalRecord {
  std::string app;
  std::string environment;
  std::string digest;      // sha256:<64 lowercase hex>
  std::string approver;    // the identity that approved; with signed gates, the principal in allowed_signers
  TimePoint time;          // UTC, whole seconds
  std::string pipeline_url;  // optional
  std::string comment;       // optional
  std::optional<std::string> signature;  // armored SSH signature of canonical_text(); not part of the text
  // What the signature is over when it is not canonical_text(): the approval set this record is part of
  // (steps/gate/approval_set.hpp).
  std::optional<std::string> signed_text;
};

// The canonical text. Throws InputError naming the field when a value cannot be written on one line as is
// (a newline, a control character, leading/trailing blanks, an empty required field, a malformed digest).
std::string canonical_text(const ApprovalRecord& record);

// Parses canonical text back; throws InputError "approval record line N: ..." on anything not exactly canonical.
// The result has no signature.
ApprovalRecord parse_approval_record(std::string_view text);

// "2026-11-22T09:30:00Z"
std::string format_rfc3339(TimePoint t);
// Exactly "YYYY-MM-DDTHH:MM:SSZ" with a valid date and time; nullopt otherwise.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

// "sha256:" followed by 64 lowercase hex digits.
bool is_digest(std::string_view text);

}  // namespace hoist::promote
