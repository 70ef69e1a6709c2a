#pragma once
// Who git says the local user is: user.email, else user.name. The one reading of that rule, for `hoist promote` /
// `approve` outside CI (steps/promote/identity takes it as an answer, staying free of libgit2) and for the ACTOR
// built-in of a run outside CI (a repository's own configuration included).

#include <string>

struct git_config;

namespace hoist {

// user.email, else user.name, from CONFIG (a snapshot); "" when neither is set.
std::string git_user_identity(git_config* config);

// The same from git's global and system configuration; "" when neither is set or there is none.
std::string git_user_identity();

}  // namespace hoist
