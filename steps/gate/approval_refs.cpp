// See approval_refs.hpp.

#include "steps/gate/approval_refs.hpp"

#include <ctime>

#include "runner/util/errors.hpp"

namespace hoist::promote {
namespace {

constexpr const char* kRecordFile = "approval";
constexpr const char* kSignatureFile = "approval.sig";

// Keeps letters, digits and "-_.@+" (never "@{" or a leading '.'); everything else becomes '_'.
std::string ref_safe(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+' ||
                    c == '@';
    out += ok ? c : '_';
  }
  for (size_t p; (p = out.find("..")) != std::string::npos;) out[p] = '_';
  if (out.empty() || out.front() == '.') out.insert(out.begin(), '_');
  return out;
}

std::string compact_time(TimePoint t) {
  std::string s = format_rfc3339(t);  // 2026-11-22T09:30:00Z
  std::string out;
  for (char c : s)
    if (c != '-' && c != ':') out += c;
  return out;  // 20261122T093000Z
}

}  // namespace

std::string approvals_prefix(const std::string& app, const std::string& env) {
  return "refs/hoist/approvals/" + ref_safe(app) + "/" + ref_safe(env) + "/";
}

std::string approval_ref(const ApprovalRecord& record) {
  std::string hex = record.digest.substr(record.digest.find(':') + 1);
  // The record's own hash last: two different records never share a ref, the same record twice is refused.
  return approvals_prefix(record.app, record.environment) + ref_safe(hex) + "/" + ref_safe(record.approver) + "-" +
         compact_time(record.time) + "-" + blob_id(canonical_text(record)).substr(0, 8);
}

std::string write_approval_commit(git_repository* repo, const ApprovalRecord& record, const Signature& author,
                                  const CommitSigner& sign) {
  std::map<std::string, std::string> files = {{kRecordFile, canonical_text(record)}};
  if (record.signature) files[kSignatureFile] = *record.signature;
  Signature at = author;
  at.time = record.time.time_since_epoch().count();
  at.offset_minutes = 0;
  const std::string message = "approve " + record.app + " " + record.digest + " into " + record.environment +
                              " by " + record.approver + "\n";
  return commit_root_files(repo, files, at, message, sign);
}

ApprovalRecord read_approval_commit(git_repository* repo, const std::string& id) {
  auto files = read_files(repo, id, {kRecordFile, kSignatureFile});
  const std::optional<std::string>& text = files.at(kRecordFile);
  if (!text || text->empty()) throw InputError("approval " + id.substr(0, 12) + " holds no record");
  ApprovalRecord record = parse_approval_record(*text);
  if (const auto& sig = files.at(kSignatureFile); sig && !sig->empty()) record.signature = *sig;
  return record;
}

}  // namespace hoist::promote
