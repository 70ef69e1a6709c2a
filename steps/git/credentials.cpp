// See credentials.hpp.

#include "steps/git/credentials.hpp"

#include <cctype>
#include <sstream>

#include "runner/util/url_userinfo.hpp"
#include "steps/git/libgit2.hpp"

namespace hoist {
namespace {

bool scp_like(const std::string& repo) {
  if (repo.find("://") != std::string::npos) return false;
  size_t colon = repo.find(':');
  if (colon == std::string::npos || colon < 2) return false;  // "C:..." or no host
  return repo.find('/') == std::string::npos || repo.find('/') > colon;
}

std::string getenv_or_empty(const std::map<std::string, std::string>& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

}  // namespace

RemoteSpec parse_remote(const std::string& repo, Credentials& creds,
                        const std::function<void(std::string_view)>& warn) {
  RemoteSpec spec;
  size_t sep = repo.find("://");
  std::string scheme = sep == std::string::npos ? "" : repo.substr(0, sep);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  spec.is_ssh = scheme == "ssh" || scheme == "git+ssh" || scheme == "ssh+git" || scp_like(repo);
  spec.is_http = scheme == "http" || scheme == "https";
  if (scheme == "https") use_environment_ca_locations();
  spec.url = repo;
  if (spec.is_http) {
    size_t start = sep + 3;
    size_t end = repo.find_first_of("/?#", start);
    std::string authority = repo.substr(start, end == std::string::npos ? std::string::npos : end - start);
    size_t at = authority.rfind('@');
    if (at != std::string::npos) {
      std::string userinfo = authority.substr(0, at);
      size_t colon = userinfo.find(':');
      std::string user = percent_decode(userinfo.substr(0, colon));
      std::string pass = colon == std::string::npos ? "" : percent_decode(userinfo.substr(colon + 1));
      spec.url = strip_url_userinfo(repo);
      if (creds.empty()) {
        creds.username = user;
        creds.password = pass;
        if (warn) warn("credentials in the repository URL are not kept in it; pass them as username/password or "
                       "HOIST_GIT_USERNAME/HOIST_GIT_PASSWORD instead (" + spec.url + ")");
      } else if (warn) {
        warn("ignoring credentials in the repository URL " + spec.url + ": explicit credentials are set");
      }
    }
  }
  spec.display = redact_url_userinfo(spec.url);
  return spec;
}

CredentialProvider::CredentialProvider(RemoteSpec remote, Credentials explicit_creds,
                                       std::map<std::string, std::string> env, ProcessRunner* processes,
                                       const CancelToken* cancel)
    : remote_(std::move(remote)), explicit_(std::move(explicit_creds)), env_(std::move(env)),
      processes_(processes), cancel_(cancel) {}

void CredentialProvider::install(git_remote_callbacks& callbacks) {
  callbacks.credentials = &CredentialProvider::callback;
  callbacks.payload = this;
}

int CredentialProvider::callback(git_credential** out, const char* /*url*/, const char* username_from_url,
                                 unsigned int allowed, void* payload) {
  auto* self = static_cast<CredentialProvider*>(payload);
  try {
    return self->answer(out, username_from_url, allowed);
  } catch (const std::exception& e) {  // hoist's messages carry no secrets
    git_error_set_str(GIT_ERROR_NET, ("cannot obtain credentials: " + std::string(e.what())).c_str());
    return GIT_EUSER;
  } catch (...) {
    git_error_set_str(GIT_ERROR_NET, "cannot obtain credentials");
    return GIT_EUSER;
  }
}

int CredentialProvider::answer(git_credential** out, const char* username_from_url, unsigned int allowed) {
  // ssh asks for the user name first, without counting as an attempt.
  if (allowed == GIT_CREDENTIAL_USERNAME) {
    std::string user = username_from_url && *username_from_url ? username_from_url : explicit_.username.value_or("git");
    return git_credential_username_new(out, user.c_str());
  }
  // Called again within one connection: the server refused what we gave it. libgit2 would ask forever.
  if (++calls_ > 1) {
    auth_failed_ = true;
    failure_ = "authentication failed for " + remote_.display;
    git_error_set_str(GIT_ERROR_NET, failure_.c_str());
    return GIT_EAUTH;
  }
  if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
    if (auto up = userpass()) return git_credential_userpass_plaintext_new(out, up->first.c_str(), up->second.c_str());
  }
  if (allowed & GIT_CREDENTIAL_SSH_KEY) {
    std::string user = username_from_url && *username_from_url ? username_from_url : explicit_.username.value_or("git");
    if (explicit_.ssh_key) {
      source_ = "ssh key";
      std::string pub = *explicit_.ssh_key + ".pub";
      FILE* f = std::fopen(pub.c_str(), "r");
      if (f) std::fclose(f);
      return git_credential_ssh_key_new(out, user.c_str(), f ? pub.c_str() : nullptr, explicit_.ssh_key->c_str(),
                                        explicit_.ssh_passphrase ? explicit_.ssh_passphrase->c_str() : nullptr);
    }
    source_ = "ssh-agent";
    return git_credential_ssh_key_from_agent(out, user.c_str());
  }
  auth_failed_ = true;
  failure_ = "no credentials for " + remote_.display +
             " (set username/password, HOIST_GIT_USERNAME/HOIST_GIT_PASSWORD, or a git credential helper)";
  git_error_set_str(GIT_ERROR_NET, failure_.c_str());
  return GIT_EAUTH;
}

std::optional<std::pair<std::string, std::string>> CredentialProvider::userpass() {
  if (!explicit_.empty()) {
    source_ = "explicit";
    return std::pair{explicit_.username.value_or("hoist"), explicit_.password.value_or("")};
  }
  std::string user = getenv_or_empty(env_, "HOIST_GIT_USERNAME");
  std::string pass = getenv_or_empty(env_, "HOIST_GIT_PASSWORD");
  if (!user.empty() || !pass.empty()) {
    source_ = "environment";
    return std::pair{user.empty() ? std::string("hoist") : user, pass};
  }
  if (!helper_cache_) helper_cache_ = git_credential_fill();
  if (*helper_cache_) source_ = "git credential";
  return *helper_cache_;
}

std::string CredentialProvider::credential_description() const {
  size_t sep = remote_.url.find("://");
  if (sep == std::string::npos) return "";
  std::string protocol = remote_.url.substr(0, sep);
  std::string rest = remote_.url.substr(sep + 3);
  size_t slash = rest.find('/');
  std::string host = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : rest.substr(slash + 1);
  return "protocol=" + protocol + "\nhost=" + host + "\npath=" + path + "\n";
}

// Runs `git credential ACTION` with `input` on stdin (no prompt: CI has no terminal, and a prompt would hang the
// step); false when git is missing or failed.
bool CredentialProvider::run_git_credential(const std::string& action, const std::string& input, std::string* out) {
  if (!processes_) return false;
  ProcessSpec spec;
  spec.argv = {"git", "credential", action};
  spec.env = env_;
  spec.env["GIT_TERMINAL_PROMPT"] = "0";
  spec.env["GIT_ASKPASS"] = "";
  spec.env["SSH_ASKPASS"] = "";
  spec.stdin_data = input;
  spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  CancelToken never;
  try {
    ProcessResult result = processes_->run(
        spec,
        [&](std::string_view line, OutputStream stream) {
          if (out && stream == OutputStream::out) out->append(line).append("\n");
        },
        cancel_ ? *cancel_ : never);
    return result.ok();
  } catch (const LaunchError&) {
    return false;  // git cannot be run (not installed): no helpers to ask
  }
}

void CredentialProvider::tell_helpers(bool worked) {
  if (source_ != "git credential" || !helper_cache_ || !*helper_cache_) return;
  const auto& [user, pass] = **helper_cache_;
  run_git_credential(worked ? "approve" : "reject",
                     credential_description() + "username=" + user + "\npassword=" + pass + "\n\n", nullptr);
}

// Asks git's configured credential helpers, as `git credential fill` does for git itself.
std::optional<std::pair<std::string, std::string>> CredentialProvider::git_credential_fill() {
  std::string description = credential_description();
  if (description.empty()) return std::nullopt;
  std::string out;
  if (!run_git_credential("fill", description + "\n", &out)) return std::nullopt;
  std::optional<std::string> user, pass;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("username=", 0) == 0) user = line.substr(9);
    if (line.rfind("password=", 0) == 0) pass = line.substr(9);
  }
  if (!pass) return std::nullopt;
  return std::pair{user.value_or("hoist"), *pass};
}

}  // namespace hoist
