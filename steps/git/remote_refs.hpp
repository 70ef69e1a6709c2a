#pragma once
// Reading a remote's refs beyond one branch: which branch is its default (HEAD, where the promotion policy lives)
// and whole ref namespaces such as refs/hoist/approvals/APP/ENV/, fetched into the bare mirror under the same names.
// Like fetch_branch, through an anonymous remote: the URL never lands in a config file.

#include <map>
#include <string>

#include "steps/git/fetch.hpp"
#include "steps/git/git_handles.hpp"

namespace hoist {

struct RemoteRefs {
  std::string default_branch;               // "master": what the remote's HEAD points at; "" when it does not say
  std::map<std::string, std::string> refs;  // ref name -> object id, as advertised
};

// Connects and lists the remote's refs. Throws hoist::Error (authentication, network) like fetch_branch.
RemoteRefs list_remote(git_repository* repo, RemoteSession& session);

// Fetches every ref of the remote whose name starts with PREFIX ("refs/hoist/approvals/api/prod/") into `repo`
// under the same name; local refs under PREFIX that the remote no longer has are deleted. Returns name -> id.
std::map<std::string, std::string> fetch_ref_prefix(git_repository* repo, RemoteSession& session,
                                                    const std::string& prefix);

}  // namespace hoist
