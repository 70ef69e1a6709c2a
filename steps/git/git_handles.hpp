#pragma once
// The libgit2 types that the git client's public headers name, declared here and defined by <git2.h>
// (steps/git/libgit2.hpp). A file that includes a git client header does not get all of libgit2 with it: <git2.h>
// stays inside steps/git/ (ARCHITECTURE.md, rules of dependency).

struct git_credential;
struct git_remote_callbacks;
struct git_repository;
