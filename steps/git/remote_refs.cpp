// See remote_refs.hpp.

#include "steps/git/remote_refs.hpp"

#include <vector>

#include "steps/git/libgit2.hpp"
#include "steps/git/proxy.hpp"

namespace hoist {
namespace {

// A connected anonymous remote, disconnected when it goes out of scope.
GitPtr<git_remote> connect(git_repository* repo, RemoteSession& session, git_remote_callbacks& cbs) {
  auto remote = git_make<git_remote>("cannot use " + session.remote.display, git_remote_create_anonymous, repo,
                                     session.remote.url.c_str());
  session.credentials.reset_attempt();
  git_proxy_options proxy = session_proxy_options(session);
  if (int rc = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &cbs, &proxy, nullptr); rc < 0)
    session.fail(rc, "cannot fetch from " + session.remote.display);
  return remote;
}

RemoteRefs ls(git_remote* remote, RemoteSession& session) {
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if (int rc = git_remote_ls(&heads, &count, remote); rc < 0)
    session.fail(rc, "cannot list the refs of " + session.remote.display);
  RemoteRefs out;
  for (size_t i = 0; i < count; ++i) out.refs[heads[i]->name] = to_hex(heads[i]->oid);
  GitBuf head;
  if (git_remote_default_branch(head.get(), remote) == 0) {
    std::string name = head.str();
    if (name.rfind("refs/heads/", 0) == 0) out.default_branch = name.substr(11);
  }
  return out;
}

}  // namespace

RemoteRefs list_remote(git_repository* repo, RemoteSession& session) {
  git_remote_callbacks cbs = session.callbacks();
  auto remote = connect(repo, session, cbs);
  RemoteRefs out = ls(remote.get(), session);
  git_remote_disconnect(remote.get());
  return out;
}

std::map<std::string, std::string> fetch_ref_prefix(git_repository* repo, RemoteSession& session,
                                                    const std::string& prefix) {
  git_remote_callbacks cbs = session.callbacks();
  auto remote = connect(repo, session, cbs);
  std::map<std::string, std::string> wanted;
  for (const auto& [name, id] : ls(remote.get(), session).refs)
    if (name.rfind(prefix, 0) == 0) wanted[name] = id;

  if (!wanted.empty()) {
    // Exact refspecs, one per ref: no glob semantics to get wrong.
    std::vector<std::string> specs;
    for (const auto& [name, _] : wanted) specs.push_back("+" + name + ":" + name);
    std::vector<char*> raw;
    for (auto& s : specs) raw.push_back(s.data());
    git_strarray refspecs{raw.data(), raw.size()};
    git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
    opts.callbacks = cbs;
    opts.proxy_opts = session_proxy_options(session);
    opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
    opts.prune = GIT_FETCH_NO_PRUNE;
    opts.update_fetchhead = 0;
    if (int rc = git_remote_download(remote.get(), &refspecs, &opts); rc < 0)
      session.fail(rc, "cannot fetch from " + session.remote.display);
  }
  git_remote_disconnect(remote.get());

  // Local refs under the prefix mirror the remote exactly.
  GitPtr<git_reference_iterator> it =
      git_make<git_reference_iterator>("cannot list refs", git_reference_iterator_glob_new, repo, (prefix + "*").c_str());
  std::vector<std::string> stale;
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, it.get()) == 0) {
    GitPtr<git_reference> owned(ref);
    if (!wanted.count(git_reference_name(ref))) stale.push_back(git_reference_name(ref));
  }
  for (const auto& name : stale) git_reference_remove(repo, name.c_str());
  for (const auto& [name, id] : wanted) {
    git_oid oid;
    git_check(git_oid_fromstr(&oid, id.c_str()), "invalid object id from " + session.remote.display);
    git_make<git_reference>("cannot record " + name, git_reference_create, repo, name.c_str(), &oid, 1,
                            "hoist: fetch");
  }
  return wanted;
}

}  // namespace hoist
