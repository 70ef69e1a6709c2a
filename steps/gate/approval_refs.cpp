// See approval_refs.hpp.

#include "steps/gate/approval_refs.hpp"

#include <ctime>

#include "runner/util/errors.hpp"

namespace hoist::promote {
namespace {

constexpr const char* kRecordFile = "approval";
constexpr const char* kSignatureFile = "approval.sig";
constexpr const char* kSetFile = "approval-set";
constexpr const char* kSetSignatureFile = "approval-set.sig";

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

std::vector<std::string> approval_set_refs(const ApprovalSet& set) {
  const std::string text = canonical_set_text(set);
  const std::string suffix = ref_safe(set.approver) + "-" + compact_time(set.time) + "-set-" + blob_id(text).substr(0, 8);
  std::vector<std::string> refs;
  for (const auto& [app, digest] : set.apps)
    refs.push_back(approvals_prefix(app, set.environment) + ref_safe(digest.substr(digest.find(':') + 1)) + "/" +
                   suffix);
  return refs;
}

std::string write_approval_set_commit(git_repository* repo, const ApprovalSet& set, const Signature& author,
                                      const CommitSigner& sign) {
  std::map<std::string, std::string> files = {{kSetFile, canonical_set_text(set)}};
  if (set.signature) files[kSetSignatureFile] = *set.signature;
  Signature at = author;
  at.time = set.time.time_since_epoch().count();
  at.offset_minutes = 0;
  const std::string message = "approve a release of " + std::to_string(set.apps.size()) + " apps into " +
                              set.environment + " by " + set.approver + "\n";
  return commit_root_files(repo, files, at, message, sign);
}

ApprovalRecord read_approval_commit(git_repository* repo, const std::string& id, const std::string& app) {
  auto files = read_files(repo, id, {kRecordFile, kSignatureFile, kSetFile, kSetSignatureFile});
  if (const auto& set_text = files.at(kSetFile); set_text && !set_text->empty()) {
    ApprovalSet set = parse_approval_set(*set_text);
    if (const auto& sig = files.at(kSetSignatureFile); sig && !sig->empty()) set.signature = *sig;
    return record_for(set, app);
  }
  const std::optional<std::string>& text = files.at(kRecordFile);
  if (!text || text->empty()) throw InputError("approval " + id.substr(0, 12) + " holds no record");
  ApprovalRecord record = parse_approval_record(*text);
  if (const auto& sig = files.at(kSignatureFile); sig && !sig->empty()) record.signature = *sig;
  return record;
}

}  // namespace hoist::promote
