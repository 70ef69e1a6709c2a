// See manifest_repo.hpp.

#include "steps/gate/manifest_repo.hpp"

#include <algorithm>

#include "runner/util/errors.hpp"
#include "steps/git/bare_mirror.hpp"
#include "steps/git/fetch.hpp"
#include "steps/git/commit_files.hpp"
#include "steps/git/push.hpp"
#include "steps/git/remote_refs.hpp"
#include "steps/gate/approval_refs.hpp"

namespace hoist::promote {

struct ManifestRepo::Impl {
  explicit Impl(ManifestAccess a)
      : access(std::move(a)),
        creds(access.creds),
        remote(parse_remote(access.repo, creds, [this](std::string_view w) { warn(w); })),
        mirror(remote.url, std::nullopt, [this](std::string_view w) { warn(w); }),
        provider(remote, creds, access.env, access.processes, access.cancel),
        session{remote, provider, access.cancel, [this](std::string_view line) { log(line); }, {}} {
    if (access.ca_file) use_git_ca_file(*access.ca_file);
  }
  void warn(std::string_view w) { log("warning: " + std::string(w)); }
  void log(std::string_view line) {
    if (access.log) access.log(line);
  }

  ManifestAccess access;
  Credentials creds;
  RemoteSpec remote;
  BareMirror mirror;
  CredentialProvider provider;
  RemoteSession session;
  std::map<std::string, std::string> tips;
  std::optional<std::map<std::string, std::string>> all_approvals;  // prefetch_approvals(): every approval ref
};

ManifestRepo::ManifestRepo(ManifestAccess access) : impl_(std::make_unique<Impl>(std::move(access))) {
  if (impl_->access.repo.empty())
    throw InputError("no manifest repository given: pass --repo URL or set HOIST_MANIFEST_REPO");
}
ManifestRepo::~ManifestRepo() = default;

const std::string& ManifestRepo::display() const { return impl_->remote.display; }

std::string ManifestRepo::default_branch() {
  RemoteRefs refs = list_remote(impl_->mirror.repo(), impl_->session);
  if (refs.default_branch.empty()) throw Error(impl_->remote.display + " does not say which branch is its default");
  return refs.default_branch;
}

std::string ManifestRepo::tip(const std::string& branch) {
  if (auto it = impl_->tips.find(branch); it != impl_->tips.end()) return it->second;
  std::string t = fetch_branch(impl_->mirror.repo(), impl_->session, branch).tip;
  impl_->tips[branch] = t;
  return t;
}

std::optional<std::string> ManifestRepo::read(const std::string& commit, const std::string& path) {
  return read_files(impl_->mirror.repo(), commit, {path}).at(path);
}

std::vector<std::string> ManifestRepo::files(const std::string& commit) {
  return list_files(impl_->mirror.repo(), commit);
}

CommitChange ManifestRepo::change_of(const std::string& commit) { return commit_change(impl_->mirror.repo(), commit); }

bool ManifestRepo::in_history(const std::string& ancestor, const std::string& descendant) {
  return hoist::in_history(impl_->mirror.repo(), ancestor, descendant);
}

std::vector<CommitInfo> ManifestRepo::history(const std::string& branch, const std::string& path) {
  return file_history(impl_->mirror.repo(), tip(branch), path);
}

std::vector<StoredApproval> ManifestRepo::approvals(const std::string& app, const std::string& env,
                                                    std::vector<std::string>* unreadable) {
  std::vector<StoredApproval> out;
  const std::string prefix = approvals_prefix(app, env);
  std::map<std::string, std::string> refs;
  if (impl_->all_approvals) {
    for (auto it = impl_->all_approvals->lower_bound(prefix);
         it != impl_->all_approvals->end() && it->first.rfind(prefix, 0) == 0; ++it)
      refs.insert(*it);
  } else {
    refs = fetch_ref_prefix(impl_->mirror.repo(), impl_->session, prefix);
  }
  for (const auto& [ref, id] : refs) {
    try {
      out.push_back({ref, read_approval_commit(impl_->mirror.repo(), id, app)});
    } catch (const Error& e) {
      if (unreadable) unreadable->push_back(ref + ": " + e.what());
    }
  }
  return out;
}

void ManifestRepo::prefetch_approvals() {
  impl_->all_approvals = fetch_ref_prefix(impl_->mirror.repo(), impl_->session, "refs/hoist/approvals/");
}

std::string ManifestRepo::add_approval(const ApprovalRecord& record, const Signature& author) {
  const std::string ref = approval_ref(record);
  const std::string commit = write_approval_commit(impl_->mirror.repo(), record, author, impl_->access.sign);
  push_new_ref(impl_->mirror.repo(), impl_->session, commit, ref);
  return ref;
}

std::vector<std::string> ManifestRepo::add_approval_set(const ApprovalSet& set, const Signature& author) {
  const std::vector<std::string> refs = approval_set_refs(set);
  const std::string commit = write_approval_set_commit(impl_->mirror.repo(), set, author, impl_->access.sign);
  push_new_refs(impl_->mirror.repo(), impl_->session, commit, refs);
  return refs;
}

BumpRequest ManifestRepo::bump_request(const std::string& branch, const std::vector<std::string>& files) const {
  BumpRequest r;
  r.repo = impl_->remote.url;
  r.creds = impl_->creds;
  r.branch = branch;
  r.files = files;
  r.ca_file = impl_->access.ca_file;
  r.sign = impl_->access.sign;
  return r;
}

BumpEnv ManifestRepo::bump_env() const {
  BumpEnv e;
  e.env = impl_->access.env;
  e.processes = impl_->access.processes;
  e.cancel = impl_->access.cancel;
  e.log = impl_->access.log;
  return e;
}

}  // namespace hoist::promote
