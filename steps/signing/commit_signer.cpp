// See commit_signer.hpp.
#include "steps/signing/commit_signer.hpp"

#include "runner/util/errors.hpp"
#include "steps/signing/openpgp_sign.hpp"
#include "steps/signing/ssh_sign.hpp"

namespace hoist {
namespace {

constexpr const char* kWhat = "commits";

std::optional<std::string> env_value(const std::map<std::string, std::string>& env, const char* name) {
  auto it = env.find(name);
  if (it == env.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace

bool is_signing_format(const std::string& text) { return text == "openpgp" || text == "ssh"; }

SigningFormat parse_signing_format(const std::string& text, const std::string& where) {
  if (text == "openpgp") return SigningFormat::openpgp;
  if (text == "ssh") return SigningFormat::ssh;
  throw InputError(where + ": '" + text + "' is not a signing format Hoist signs with: openpgp or ssh");
}

std::optional<SigningKey> choose_signing_key(const SigningRequest& given, const std::map<std::string, std::string>& env,
                                             const std::function<GitSigningConfig()>& git_config) {
  SigningKey chosen;
  std::optional<GitSigningConfig> git;
  if (given.key && !given.key->empty()) {
    chosen.key = *given.key;
    chosen.origin = given.key_option;
  } else if (auto key = env_value(env, "HOIST_SIGNING_KEY")) {
    chosen.key = *key;
    chosen.origin = "HOIST_SIGNING_KEY";
  } else if (git = git_config(); git->sign_commits) {
    chosen.key = git->key;
    chosen.origin = "git config user.signingkey (commit.gpgsign is true)";
  } else {
    if (given.format)
      throw InputError(given.format_option + " is given but no signing key: give " + given.key_option +
                       " or HOIST_SIGNING_KEY");
    return std::nullopt;
  }
  if (given.format) {
    chosen.format = parse_signing_format(*given.format, given.format_option);
  } else if (auto format = env_value(env, "HOIST_SIGNING_FORMAT")) {
    chosen.format = parse_signing_format(*format, "HOIST_SIGNING_FORMAT");
  } else {
    if (!git) git = git_config();
    if (!git->format.empty()) chosen.format = parse_signing_format(git->format, "git config gpg.format");
  }
  if (chosen.format == SigningFormat::ssh && chosen.key.empty())
    throw InputError("commit.gpgsign is true and the signing format is ssh, but git config user.signingkey is not set");
  return chosen;
}

CommitSigner make_commit_signer(const SigningKey& key, ProcessRunner& runner, std::map<std::string, std::string> env) {
  if (key.format == SigningFormat::ssh)
    return [&runner, env = std::move(env), k = key.key](const std::string& text) {
      return ssh_sign(runner, env, text, k, kGitSshNamespace, kWhat);
    };
  return [&runner, env = std::move(env), k = key.key](const std::string& text) {
    return openpgp_sign(runner, env, text, k, kWhat);
  };
}

void check_commit_signer(const CommitSigner& sign, const SigningKey& key) {
  try {
    sign("hoist: can this key sign commits?\n");
  } catch (const Error& e) {
    throw InputError(std::string(e.what()) + " (the key comes from " + key.origin + "); nothing was pushed");
  }
}

CommitSigner ready_commit_signer(const SigningRequest& given, ProcessRunner& runner,
                                 const std::map<std::string, std::string>& env) {
  std::optional<SigningKey> key = choose_signing_key(given, env, [] { return git_signing_config(); });
  if (!key) return {};
  CommitSigner sign = make_commit_signer(*key, runner, env);
  check_commit_signer(sign, *key);
  return sign;
}

}  // namespace hoist
