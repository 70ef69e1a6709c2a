// See approval_set.hpp.
#include "steps/gate/approval_set.hpp"

#include <algorithm>

#include "runner/util/errors.hpp"

namespace hoist::promote {
namespace {

constexpr std::string_view kSetHeader = "hoist-approval-set v1";

// The record of one app with the set's fields: checks each field as an approval record does.
ApprovalRecord as_record(const ApprovalSet& set, const std::string& app, const std::string& digest) {
  ApprovalRecord r;
  r.app = app;
  r.environment = set.environment;
  r.digest = digest;
  r.approver = set.approver;
  r.time = set.time;
  r.pipeline_url = set.pipeline_url;
  r.comment = set.comment;
  return r;
}

}  // namespace

std::string canonical_set_text(const ApprovalSet& set) {
  if (set.apps.empty()) throw InputError("an approval set needs at least one app");
  std::string out(kSetHeader);
  out += "\n";
  // The common fields, checked and written as a record's are (a record's text without app and digest).
  const std::string record = canonical_text(as_record(set, set.apps.front().first, set.apps.front().second));
  for (std::string_view key : {"environment:", "approver:", "time:", "pipeline:", "comment:"}) {
    const std::size_t at = record.find("\n" + std::string(key));
    out += record.substr(at + 1, record.find('\n', at + 1) - at);
  }
  for (std::size_t i = 0; i < set.apps.size(); ++i) {
    const auto& [app, digest] = set.apps[i];
    canonical_text(as_record(set, app, digest));  // checks the app name's and digest's form
    if (app.find(' ') != std::string::npos) throw InputError("approval app '" + app + "' contains a blank");
    if (i > 0 && !(set.apps[i - 1].first < app))
      throw InputError("approval set apps must be sorted and distinct, got '" + set.apps[i - 1].first + "' before '" +
                       app + "'");
    out += "app: " + app + " " + digest + "\n";
  }
  return out;
}

ApprovalSet parse_approval_set(std::string_view text) {
  auto fail = [](std::size_t line, const std::string& message) -> InputError {
    return InputError("approval set line " + std::to_string(line) + ": " + message);
  };
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) throw fail(lines.size() + 1, "does not end with a line break");
    lines.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.empty() || lines[0] != kSetHeader) throw fail(1, "expected '" + std::string(kSetHeader) + "'");
  const std::vector<std::string> keys = {"environment", "approver", "time", "pipeline", "comment"};
  if (lines.size() < keys.size() + 2) throw fail(lines.size() + 1, "too short: fields and at least one app");
  auto value = [&](std::size_t i) {
    const std::string& line = lines[i + 1];
    const std::string key = keys[i] + ":";
    if (line.rfind(key, 0) != 0) throw fail(i + 2, "expected '" + key + "'");
    return line.size() > key.size() + 1 ? line.substr(key.size() + 1) : std::string();
  };
  ApprovalSet set;
  set.environment = value(0);
  set.approver = value(1);
  auto t = parse_rfc3339(value(2));
  if (!t) throw fail(4, "time '" + value(2) + "' is not UTC RFC 3339 like 2026-11-22T09:30:00Z");
  set.time = *t;
  set.pipeline_url = value(3);
  set.comment = value(4);
  for (std::size_t i = keys.size() + 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const std::size_t space = line.find(' ', 5);
    if (line.rfind("app: ", 0) != 0 || space == std::string::npos) throw fail(i + 1, "expected 'app: APP DIGEST'");
    set.apps.emplace_back(line.substr(5, space - 5), line.substr(space + 1));
  }
  // Strict: only what canonical_set_text writes is accepted.
  std::string canonical;
  try {
    canonical = canonical_set_text(set);
  } catch (const InputError& e) {
    throw InputError(std::string("approval set: ") + e.what());
  }
  if (canonical != text) throw InputError("approval set: not in canonical form");
  return set;
}

ApprovalRecord record_for(const ApprovalSet& set, const std::string& app) {
  auto it = std::find_if(set.apps.begin(), set.apps.end(), [&](const auto& a) { return a.first == app; });
  if (it == set.apps.end()) throw InputError("the approval set holds no app '" + app + "'");
  ApprovalRecord r = as_record(set, app, it->second);
  r.signature = set.signature;
  r.signed_text = canonical_set_text(set);
  return r;
}

}  // namespace hoist::promote
