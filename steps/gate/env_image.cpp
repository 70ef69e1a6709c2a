// See env_image.hpp.

#include "steps/gate/env_image.hpp"

#include "runner/util/errors.hpp"

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
  out.places = find_image_places(*out.content, out.file, policy.shape_for(app));
  out.problem = out.places.problem();
  out.tag = out.places.tag();
  out.recorded_digest = out.places.digest();
  if (out.recorded_digest) {
    if (!is_digest(*out.recorded_digest))
      for (const auto& p : out.places.places)
        if (p.digest)
          throw InputError(out.file + " on branch '" + env.branch + "': " + p.where() + " '" + *p.digest +
                           "' is not a sha256 digest");
    out.digest = out.recorded_digest;
  } else if (!out.tag) {
    out.digest_error = out.file + " on branch '" + env.branch + "' has no tag for " + app + " (at " +
                       policy.shape_for(app).describe() + ")";
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

std::optional<std::string> digest_at(ManifestRepo& repo, const Policy& policy, const std::string& app,
                                     const CommitInfo& commit, const std::string& file) {
  if (auto t = commit.trailer("Hoist-Image-Digest"); t && is_digest(*t)) return t;
  auto content = repo.read(commit.id, file);
  if (!content) return std::nullopt;
  try {
    auto d = find_image_places(*content, file, policy.shape_for(app)).digest();
    if (d && is_digest(*d)) return d;
  } catch (const InputError&) {
  }
  return std::nullopt;
}

std::optional<std::string> tag_in(const Policy& policy, const std::string& app, const std::string& content,
                                  const std::string& file) {
  try {
    return find_image_places(content, file, policy.shape_for(app)).tag();
  } catch (const InputError&) {
    return std::nullopt;
  }
}

}  // namespace hoist::promote
