#pragma once
// One approval over a release: "this approver allows exactly this set of app -> digest into this environment".
// Canonical text (signed as one piece when the gate wants signatures), apps sorted by name, each once:
//
//   hoist-approval-set v1
//   environment: prod
//   approver: alice
//   time: 2026-11-22T09:30:00Z
//   pipeline: https://gitlab.example.com/shop/api/-/pipelines/42
//   comment: release 42
//   app: api-gateway sha256:0123...cdef
//   app: billing sha256:4567...89ab
//
// It is stored once (one commit holding `approval-set` and `approval-set.sig`) and filed under each app's approval
// path (steps/gate/approval_refs.hpp), so the gate of each app reads it as that app's approval of that digest — and
// for an app whose digest changed since, as an approval of another digest, which does not count.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "steps/gate/approval_record.hpp"

namespace hoist::promote {

struct ApprovalSet {
  std::string environment;
  std::string approver;
  TimePoint time;
  std::string pipeline_url;                                // optional
  std::string comment;                                     // optional
  std::vector<std::pair<std::string, std::string>> apps;   // app -> digest, sorted by app, distinct
  std::optional<std::string> signature;                    // armored SSH signature of the canonical text
};

// Throws InputError naming the field (as canonical_text of a record does), for no apps or an app named twice.
// Sorts nothing: give the apps sorted (new_approval_set does).
std::string canonical_set_text(const ApprovalSet& set);

// Parses canonical text back; throws InputError "approval set line N: ..." for anything else.
ApprovalSet parse_approval_set(std::string_view text);

// APP's approval as the gate reads it: the set's fields and APP's digest, the set's text as what was signed.
// Throws InputError when the set holds no APP.
ApprovalRecord record_for(const ApprovalSet& set, const std::string& app);

}  // namespace hoist::promote
