// See env_image.hpp.

#include "steps/gate/env_image.hpp"

#include "runner/util/errors.hpp"
#include "steps/gate/values_file.hpp"

namespace hoist::promote {

std::string short_digest(const std::string& digest) {
  constexpr std::size_t keep = std::string_view("sha256:").size() + 12;
  return digest.size() > keep ? digest.substr(0, keep) : digest;
}

EnvImage read_env_image(ManifestRepo& repo, const Policy& policy, const std::string& env_name, const std::string& app,
                        ImageResolver* resolver, bool with_last_change) {
  const Environment& env = policy.environment(env_name);
  EnvImage out;
  out.env = env.name;
  out.branch = env.branch;
  out.file = policy.file_for(env.name, app);
  out.image = policy.image_for(env.name, app);
  out.tip = repo.tip(env.branch);
  out.content = repo.read(out.tip, out.file);
  if (with_last_change) {
    auto history = repo.history(env.branch, out.file);
    if (!history.empty()) out.last_change = history.front();
  }
  if (!out.content) {
    out.digest_error = out.file + " does not exist on branch '" + env.branch + "'";
    return out;
  }
  out.tag = read_value(*out.content, policy.image_key, out.file);
  if (std::string key = digest_key_for(policy.image_key); !key.empty()) {
    out.recorded_digest = read_value(*out.content, key, out.file);
    if (out.recorded_digest && out.recorded_digest->empty()) out.recorded_digest.reset();
  }
  if (out.recorded_digest) {
    if (!is_digest(*out.recorded_digest))
      throw InputError(out.file + " on branch '" + env.branch + "': " + digest_key_for(policy.image_key) + " '" +
                       *out.recorded_digest + "' is not a sha256 digest");
    out.digest = out.recorded_digest;
  } else if (!out.tag) {
    out.digest_error = out.file + " on branch '" + env.branch + "' has no " + policy.image_key;
  } else if (resolver) {
    try {
      out.digest = resolver->digest_of(out.image + ":" + *out.tag);
    } catch (const Error& e) {
      out.digest_error = e.what();
    }
  } else {
    out.digest_error = "no digest recorded in " + out.file;
  }
  return out;
}

std::optional<std::string> digest_at(ManifestRepo& repo, const Policy& policy, const CommitInfo& commit,
                                     const std::string& file) {
  if (auto t = commit.trailer("Hoist-Image-Digest"); t && is_digest(*t)) return t;
  std::string key = digest_key_for(policy.image_key);
  if (key.empty()) return std::nullopt;
  auto content = repo.read(commit.id, file);
  if (!content) return std::nullopt;
  try {
    auto d = read_value(*content, key, file);
    if (d && is_digest(*d)) return d;
  } catch (const InputError&) {
  }
  return std::nullopt;
}

}  // namespace hoist::promote
