#pragma once
// Read access to the manifest repository for promotion, approval, status and history: branch tips, files at a
// commit, a file's history, the approval refs, and writing one new approval ref. One temporary bare repository per
// object (never the HOIST_CACHE mirror: a bump run while this object lives locks that mirror), credentials as for
// manifest/bump (explicit, HOIST_GIT_*, git credential fill, ssh-agent). Writes to branches go through run_bump.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/process/process.hpp"
#include "runner/util/cancel.hpp"
#include "steps/git/bump_transaction.hpp"
#include "steps/git/commit_change.hpp"
#include "steps/git/file_history.hpp"
#include "steps/gate/approval_record.hpp"
#include "steps/gate/approval_set.hpp"

namespace hoist {
class BareMirror;
}

namespace hoist::promote {

struct ManifestAccess {
  std::string repo;                          // URL or path; user:token@ in it is stripped (with a warning)
  Credentials creds;                         // explicit; else the environment's, as for manifest/bump
  std::optional<std::string> ca_file;
  std::map<std::string, std::string> env;    // HOIST_GIT_USERNAME/PASSWORD and the env of `git credential`
  ProcessRunner* processes = nullptr;
  const CancelToken* cancel = nullptr;
  std::function<void(std::string_view)> log;  // progress; never carries credentials
  CommitSigner sign;                          // signs every commit written (bumps, approvals); empty: unsigned
};

struct StoredApproval {
  std::string ref;
  ApprovalRecord record;
};

class ManifestRepo {
 public:
  explicit ManifestRepo(ManifestAccess access);
  ~ManifestRepo();
  ManifestRepo(const ManifestRepo&) = delete;
  ManifestRepo& operator=(const ManifestRepo&) = delete;

  const std::string& display() const;  // the credential-free URL
  // The remote's default branch (its HEAD). Throws hoist::Error when the remote does not say.
  std::string default_branch();
  // Fetches BRANCH (once per object) and returns its tip.
  std::string tip(const std::string& branch);
  // PATH at COMMIT (fetched before), nullopt when absent.
  std::optional<std::string> read(const std::string& commit, const std::string& path);
  // Every file path at COMMIT (fetched before), sorted.
  std::vector<std::string> files(const std::string& commit);
  // What COMMIT (fetched before) changes against its parent (steps/git/commit_change.hpp), and whether ANCESTOR is
  // in DESCENDANT's history.
  CommitChange change_of(const std::string& commit);
  bool in_history(const std::string& ancestor, const std::string& descendant);
  // Commits of BRANCH that changed PATH, newest first; a commit of several files has its trailers narrowed to
  // PATH's group (steps/git/trailers.hpp).
  std::vector<CommitInfo> history(const std::string& branch, const std::string& path);
  // Every approval filed for APP into ENV. Refs that hold no parsable record are listed in `unreadable`.
  std::vector<StoredApproval> approvals(const std::string& app, const std::string& env,
                                        std::vector<std::string>* unreadable = nullptr);
  // Fetches every approval ref at once; approvals() then reads from these instead of asking the remote per app
  // (a release of many apps).
  void prefetch_approvals();
  // Stores a new approval ref (never overwriting one); returns the ref.
  std::string add_approval(const ApprovalRecord& record, const Signature& author);
  // Stores one approval set under every app's approval path, in one push (none stored if any ref exists).
  std::vector<std::string> add_approval_set(const ApprovalSet& set, const Signature& author);

  // A bump of BRANCH's FILES in the same repository with the same credentials, and its environment.
  BumpRequest bump_request(const std::string& branch, const std::vector<std::string>& files) const;
  BumpEnv bump_env() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hoist::promote
