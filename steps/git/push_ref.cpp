// See push_ref.hpp.

#include "steps/git/push_ref.hpp"

#include "steps/git/libgit2.hpp"
#include "steps/git/proxy.hpp"
#include "steps/git/remote_refs.hpp"

namespace hoist {

void push_new_ref(git_repository* repo, RemoteSession& session, const std::string& commit, const std::string& ref) {
  if (git_reference_is_valid_name(ref.c_str()) != 1) throw InputError("invalid ref name '" + ref + "'");
  // libgit2 tells the server the old value it saw (zero for a new ref); the server's compare-and-swap then refuses
  // a ref that appeared since. Looking first only gives the clearer message.
  if (list_remote(repo, session).refs.count(ref)) throw Error(ref + " already exists on " + session.remote.display);

  git_oid oid;
  git_check(git_oid_fromstr(&oid, commit.c_str()), "invalid commit id '" + commit + "'");
  git_make<git_reference>("cannot name the commit to push", git_reference_create, repo, ref.c_str(), &oid, 1,
                          "hoist: push");
  auto remote = git_make<git_remote>("cannot use " + session.remote.display, git_remote_create_anonymous, repo,
                                     session.remote.url.c_str());
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  opts.callbacks = session.callbacks();
  opts.proxy_opts = session_proxy_options(session);
  opts.pb_parallelism = 1;
  session.push_statuses.clear();
  std::string refspec = ref + ":" + ref;  // no '+': never forced
  char* specs[] = {refspec.data()};
  git_strarray refspecs{specs, 1};
  session.credentials.reset_attempt();
  const int rc = git_remote_push(remote.get(), &refspecs, &opts);
  session.end_transfer();
  if (rc < 0) {
    if (rc == GIT_ENONFASTFORWARD) throw Error(ref + " already exists on " + session.remote.display);
    session.fail(rc, "cannot push to " + session.remote.display);
  }
  if (auto it = session.push_statuses.find(ref); it != session.push_statuses.end() && !it->second.empty())
    throw Error("push of " + ref + " to " + session.remote.display + " rejected: " + it->second);
}

}  // namespace hoist
