// See approval_refs.hpp.

#include "steps/gate/approval_refs.hpp"

#include <ctime>

#include "runner/util/errors.hpp"
#include "steps/git/libgit2.hpp"

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

git_oid write_blob(git_repository* repo, const std::string& content) {
  git_oid oid;
  git_check(git_blob_create_from_buffer(&oid, repo, content.data(), content.size()), "cannot write an approval");
  return oid;
}

std::string blob_text(git_repository* repo, git_tree* tree, const char* name) {
  const git_tree_entry* entry = git_tree_entry_byname(tree, name);
  if (!entry) return {};
  auto blob = git_make<git_blob>("cannot read an approval", git_blob_lookup, repo, git_tree_entry_id(entry));
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                     static_cast<size_t>(git_blob_rawsize(blob.get())));
}

}  // namespace

std::string approvals_prefix(const std::string& app, const std::string& env) {
  return "refs/hoist/approvals/" + ref_safe(app) + "/" + ref_safe(env) + "/";
}

std::string approval_ref(const ApprovalRecord& record) {
  std::string hex = record.digest.substr(record.digest.find(':') + 1);
  // The record's own hash last: two different records never share a ref, the same record twice is refused.
  const std::string text = canonical_text(record);
  git_oid oid;
  libgit2_init();
  git_check(git_odb_hash(&oid, text.data(), text.size(), GIT_OBJECT_BLOB), "cannot hash an approval");
  return approvals_prefix(record.app, record.environment) + ref_safe(hex) + "/" + ref_safe(record.approver) + "-" +
         compact_time(record.time) + "-" + to_hex(oid).substr(0, 8);
}

std::string write_approval_commit(git_repository* repo, const ApprovalRecord& record, const Signature& author) {
  const std::string text = canonical_text(record);
  auto builder = git_make<git_treebuilder>("cannot build an approval", git_treebuilder_new, repo, nullptr);
  git_oid text_oid = write_blob(repo, text);
  git_check(git_treebuilder_insert(nullptr, builder.get(), kRecordFile, &text_oid, GIT_FILEMODE_BLOB),
            "cannot build an approval");
  if (record.signature) {
    git_oid sig_oid = write_blob(repo, *record.signature);
    git_check(git_treebuilder_insert(nullptr, builder.get(), kSignatureFile, &sig_oid, GIT_FILEMODE_BLOB),
              "cannot build an approval");
  }
  git_oid tree_oid;
  git_check(git_treebuilder_write(&tree_oid, builder.get()), "cannot write an approval");
  auto tree = git_make<git_tree>("cannot read an approval", git_tree_lookup, repo, &tree_oid);
  const int64_t when = record.time.time_since_epoch().count();
  auto sig = git_make<git_signature>("invalid author", git_signature_new, author.name.c_str(), author.email.c_str(),
                                     static_cast<git_time_t>(when), 0);
  const std::string message = "approve " + record.app + " " + record.digest + " into " + record.environment +
                              " by " + record.approver + "\n";
  git_oid commit;
  git_check(git_commit_create(&commit, repo, nullptr, sig.get(), sig.get(), nullptr, message.c_str(), tree.get(), 0,
                              nullptr),
            "cannot write an approval");
  return to_hex(commit);
}

ApprovalRecord read_approval_commit(git_repository* repo, const std::string& id) {
  git_oid oid;
  git_check(git_oid_fromstr(&oid, id.c_str()), "invalid commit id '" + id + "'");
  auto commit = git_make<git_commit>("cannot read an approval", git_commit_lookup, repo, &oid);
  auto tree = git_make<git_tree>("cannot read an approval", git_commit_tree, commit.get());
  std::string text = blob_text(repo, tree.get(), kRecordFile);
  if (text.empty()) throw InputError("approval " + id.substr(0, 12) + " holds no record");
  ApprovalRecord record = parse_approval_record(text);
  std::string sig = blob_text(repo, tree.get(), kSignatureFile);
  if (!sig.empty()) record.signature = sig;
  return record;
}

}  // namespace hoist::promote
