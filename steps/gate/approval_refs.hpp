#pragma once
// Where approvals live in the manifest repository: one ref per approval, so two people approving at the same moment
// each create their own ref and neither can lose the other's (no shared file, no branch to race on).
//
//   refs/hoist/approvals/<app>/<env>/<digest hex>/<approver>-<YYYYMMDDTHHMMSSZ>-<8 hex of the record's hash>
//
// Each ref points at a root commit whose tree holds `approval` (the record's canonical text, see
// approval_record.hpp) and, when signed, `approval.sig` (the armored `ssh-keygen -Y sign` signature). The ref name
// only makes the ref unique and easy to list; what counts is the record text in the commit, checked field by field
// by the gate (a record filed under another app's, environment's or digest's name still says what it is for).

#include <string>

#include "steps/git/commit_files.hpp"
#include "steps/git/git_handles.hpp"
#include "steps/gate/approval_record.hpp"

namespace hoist::promote {

// "refs/hoist/approvals/api-gateway/prod/"
std::string approvals_prefix(const std::string& app, const std::string& env);

// The ref of one record; characters a ref name may not hold in the approver's name become '_'.
std::string approval_ref(const ApprovalRecord& record);

// Writes the record's commit (no parent, no ref), signed by SIGN when given, and returns its id.
std::string write_approval_commit(git_repository* repo, const ApprovalRecord& record, const Signature& author,
                                  const CommitSigner& sign = {});

// Reads the record a commit holds; throws InputError when it holds none or an unparsable one.
ApprovalRecord read_approval_commit(git_repository* repo, const std::string& commit);

}  // namespace hoist::promote
