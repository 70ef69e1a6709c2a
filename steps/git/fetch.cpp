// See fetch.hpp.

#include "steps/git/fetch.hpp"

#include <filesystem>
#include <vector>

#include "steps/git/libgit2.hpp"
#include "steps/git/proxy.hpp"

namespace hoist {
namespace {

constexpr const char* kDefaultTracking = "refs/remotes/origin/HEAD";

int on_transfer_progress(const git_indexer_progress* /*stats*/, void* payload) {
  auto* session = static_cast<RemoteSession*>(payload);
  return session->cancel && session->cancel->cancelled() ? -1 : 0;
}

// Progress meters ("Counting objects:  50% (2/4)\r") are noise in a CI log; messages (errors, hook output) are kept.
void log_remote_line(RemoteSession& session, std::string_view line) {
  if (line.empty() || line.find(" objects: ") != std::string_view::npos ||
      line.find("objects: 100%") != std::string_view::npos || line.starts_with("Total ") ||
      line.find("Enumerating objects") != std::string_view::npos)
    return;
  session.log("remote: " + std::string(line));
}

int on_sideband(const char* text, int len, void* payload) {
  auto* session = static_cast<RemoteSession*>(payload);
  if (session->log && len > 0)
    session->sideband.feed(std::string_view(text, static_cast<size_t>(len)),
                           [&](std::string_view line) { log_remote_line(*session, line); });
  return session->cancel && session->cancel->cancelled() ? -1 : 0;
}

int on_push_update_reference(const char* refname, const char* status, void* payload) {
  auto* session = static_cast<RemoteSession*>(payload);
  session->push_statuses[refname] = status ? (*status ? status : "rejected") : "";
  return 0;
}

int credentials_trampoline(git_credential** out, const char* url, const char* user, unsigned int allowed,
                           void* payload) {
  auto* session = static_cast<RemoteSession*>(payload);
  return CredentialProvider::callback(out, url, user, allowed, &session->credentials);
}

}  // namespace

std::string tracking_ref(const std::string& branch) { return "refs/remotes/origin/" + branch; }

RemoteSession::~RemoteSession() {
  try {
    end_transfer();
  } catch (...) {
    // a log that fails while unwinding loses its last line, nothing more
  }
}

void RemoteSession::end_transfer() {
  if (log) sideband.flush([&](std::string_view line) { log_remote_line(*this, line); });
}

git_remote_callbacks RemoteSession::callbacks() {
  end_transfer();
  git_remote_callbacks cbs = GIT_REMOTE_CALLBACKS_INIT;
  cbs.credentials = credentials_trampoline;
  cbs.transfer_progress = on_transfer_progress;
  cbs.sideband_progress = on_sideband;
  cbs.push_update_reference = on_push_update_reference;
  cbs.payload = this;
  // No certificate_check: libgit2 verifies TLS certificates itself, and that stays on.
  return cbs;
}

std::optional<std::string> missing_local_repository(const RemoteSpec& remote) {
  const bool other_scheme = remote.url.find("://") != std::string::npos && remote.url.rfind("file://", 0) != 0;
  if (remote.is_http || remote.is_ssh || other_scheme)
    return std::nullopt;
  std::string path = remote.url.rfind("file://", 0) == 0 ? remote.url.substr(7) : remote.url;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return std::nullopt;
  return "the repository " + remote.display + " does not exist (no such local path)";
}

void RemoteSession::fail(int rc, const std::string& what) {
  end_transfer();  // the server's last words often say why
  if (credentials.auth_failed()) {
    credentials.tell_helpers(false);
    throw GitError(credentials.failure(), GIT_EAUTH);
  }
  if (rc == GIT_EUSER && cancel && cancel->cancelled()) throw Error("cancelled", ExitCode::interrupted);
  if (auto missing = missing_local_repository(remote)) throw InputError(*missing);
  if (remote.is_ssh && rc == GIT_ECERTIFICATE)
    git_check(rc, what + " (the server's ssh host key is not in ~/.ssh/known_hosts, or differs from it)");
  git_check(rc, what);
  throw GitError(what, rc);  // rc >= 0 never reaches here
}

FetchResult fetch_branch(git_repository* repo, RemoteSession& session, const std::string& branch,
                         bool with_default) {
  const std::string remote_ref = "refs/heads/" + branch;
  auto remote = git_make<git_remote>("cannot use " + session.remote.display, git_remote_create_anonymous, repo,
                                     session.remote.url.c_str());
  git_remote_callbacks cbs = session.callbacks();
  git_proxy_options proxy = session_proxy_options(session);
  session.credentials.reset_attempt();
  const std::string what = "cannot fetch from " + session.remote.display;
  if (int rc = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &cbs, &proxy, nullptr); rc < 0)
    session.fail(rc, what);

  // The server's refs: is the branch there, and where does it point?
  const git_remote_head** heads = nullptr;
  size_t count = 0;
  if (int rc = git_remote_ls(&heads, &count, remote.get()); rc < 0) session.fail(rc, what);
  const git_remote_head* found = nullptr;
  for (size_t i = 0; i < count; ++i) {
    if (remote_ref == heads[i]->name) found = heads[i];
  }
  if (!found) throw Error("branch '" + branch + "' not found in " + session.remote.display);
  git_oid tip = found->oid;

  std::vector<std::string> specs = {"+" + remote_ref + ":" + tracking_ref(branch)};
  std::string default_branch;
  git_oid default_tip{};
  if (with_default) {
    GitBuf head;
    if (git_remote_default_branch(head.get(), remote.get()) == 0 && head.str().rfind("refs/heads/", 0) == 0) {
      for (size_t i = 0; i < count; ++i)
        if (head.str() == heads[i]->name) default_branch = head.str().substr(11), default_tip = heads[i]->oid;
    }
    if (!default_branch.empty() && default_branch != branch)
      specs.push_back("+refs/heads/" + default_branch + ":" + tracking_ref(default_branch));
  }
  std::vector<char*> spec_ptrs;
  for (auto& spec : specs) spec_ptrs.push_back(spec.data());
  git_strarray refspecs{spec_ptrs.data(), spec_ptrs.size()};
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  opts.callbacks = cbs;
  opts.proxy_opts = proxy;
  opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
  opts.prune = GIT_FETCH_NO_PRUNE;
  opts.update_fetchhead = 0;
  if (int rc = git_remote_download(remote.get(), &refspecs, &opts); rc < 0) session.fail(rc, what);
  session.end_transfer();

  const git_indexer_progress* progress = git_remote_stats(remote.get());
  FetchResult result;
  result.tip = to_hex(tip);
  result.stats.total_objects = progress->total_objects;
  result.stats.received_objects = progress->received_objects;
  result.stats.local_objects = progress->local_objects;
  result.stats.received_bytes = progress->received_bytes;
  git_remote_disconnect(remote.get());

  // Set the tracking ref ourselves, from the advertised tip, rather than through update_tips.
  GitPtr<git_odb> odb = git_make<git_odb>("cannot open the object database", git_repository_odb, repo);
  if (!git_odb_exists(odb.get(), &tip))
    throw Error("fetching branch '" + branch + "' from " + session.remote.display + " did not bring its tip " +
                result.tip);
  git_make<git_reference>("cannot record the fetched tip", git_reference_create, repo, tracking_ref(branch).c_str(),
                          &tip, 1, "hoist: fetch");
  if (!default_branch.empty()) {
    if (!git_odb_exists(odb.get(), &default_tip))
      throw Error("fetching branch '" + default_branch + "' from " + session.remote.display + " did not bring its tip");
    git_make<git_reference>("cannot record the fetched tip", git_reference_create, repo,
                            tracking_ref(default_branch).c_str(), &default_tip, 1, "hoist: fetch");
    git_make<git_reference>("cannot record the default branch", git_reference_symbolic_create, repo,
                            kDefaultTracking, tracking_ref(default_branch).c_str(), 1, "hoist: fetch");
    result.default_branch = default_branch;
    result.default_tip = to_hex(default_tip);
  } else if (with_default) {  // the remote names no default branch (any more)
    git_reference_remove(repo, kDefaultTracking);  // GIT_ENOTFOUND when there was none: nothing to do
  }
  if (session.log)
    session.log("fetched branch '" + branch + "' of " + session.remote.display + " at " + result.tip.substr(0, 12) +
                " (" + std::to_string(result.stats.received_objects) + " objects, " +
                std::to_string(result.stats.received_bytes) + " bytes)");
  return result;
}

std::optional<std::pair<std::string, std::string>> default_tracking_tip(git_repository* repo) {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, kDefaultTracking) != 0) return std::nullopt;
  GitPtr<git_reference> head(raw);
  const char* target = git_reference_symbolic_target(head.get());
  const std::string prefix = tracking_ref("");
  if (!target || std::string(target).rfind(prefix, 0) != 0) return std::nullopt;
  git_oid oid;
  if (git_reference_name_to_id(&oid, repo, target) != 0) return std::nullopt;
  return std::make_pair(std::string(target).substr(prefix.size()), to_hex(oid));
}

}  // namespace hoist
