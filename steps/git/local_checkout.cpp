// See local_checkout.hpp. libgit2, not a `git` process, so it works where git is not installed.

#include "steps/git/local_checkout.hpp"

#include <filesystem>
#include <string_view>

#include "steps/git/git_identity.hpp"
#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

// Whether `cwd` or a directory above it could hold the repository git_repository_open_ext finds: a ".git" entry, or
// a bare repository (HEAD and objects/) itself. When none does, libgit2 is not even initialised (its TLS setup
// parses the system's CA bundle: a tenth of a no-op image build's CPU).
bool may_be_in_repository(const std::string& cwd) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::path p = fs::absolute(cwd, ec);; p = p.parent_path()) {
    if (fs::exists(p / ".git", ec) || (fs::exists(p / "HEAD", ec) && fs::is_directory(p / "objects", ec))) return true;
    if (p.empty() || p == p.parent_path()) return false;
  }
}

}  // namespace

std::optional<CheckoutFacts> read_local_checkout(const std::string& cwd) {
  if (!may_be_in_repository(cwd)) return std::nullopt;  // not in a git checkout: nothing more to know
  libgit2_init();
  git_repository* raw_repo = nullptr;
  int rc = git_repository_open_ext(&raw_repo, cwd.c_str(), 0, nullptr);
  if (rc == GIT_ENOTFOUND) return std::nullopt;
  git_check(rc, "cannot open the git repository around " + cwd);
  GitPtr<git_repository> repo(raw_repo);
  CheckoutFacts facts;

  // HEAD: its commit, and its branch unless detached. An unborn branch (no commit yet) has a name but no commit.
  git_reference* raw_head = nullptr;
  rc = git_repository_head(&raw_head, repo.get());
  if (rc == GIT_EUNBORNBRANCH) {
    auto head = git_make<git_reference>("cannot read HEAD", git_reference_lookup, repo.get(), "HEAD");
    std::string target = git_reference_symbolic_target(head.get()) ? git_reference_symbolic_target(head.get()) : "";
    constexpr std::string_view heads = "refs/heads/";
    facts.branch = target.rfind(heads, 0) == 0 ? target.substr(heads.size()) : target;
  } else {
    git_check(rc, "cannot read HEAD");
    GitPtr<git_reference> head(raw_head);
    if (const git_oid* oid = git_reference_target(head.get())) facts.commit_sha = to_hex(*oid);
    if (git_repository_head_detached(repo.get()) != 1) facts.branch = git_reference_shorthand(head.get());
  }

  auto config = git_make<git_config>("cannot read the git configuration", git_repository_config_snapshot, repo.get());
  std::string actor = git_user_identity(config.get());
  facts.actor = actor;

  git_remote* raw_remote = nullptr;
  rc = git_remote_lookup(&raw_remote, repo.get(), "origin");
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) return facts;
  git_check(rc, "cannot read remote 'origin'");
  GitPtr<git_remote> origin(raw_remote);
  if (const char* url = git_remote_url(origin.get())) facts.repo_url = url;
  return facts;
}


}  // namespace hoist
