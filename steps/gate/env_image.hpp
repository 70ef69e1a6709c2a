#pragma once
// What one environment runs now, as its branch says: the tag at the app's image places (image_places.hpp) in the
// environment's file, and the digest — recorded there when the file has one, else asked of the registry.
// Also the file's last change (who, when), for `hoist status`.

#include <optional>
#include <string>

#include "steps/git/file_history.hpp"
#include "steps/gate/image_places.hpp"
#include "steps/gate/image_resolver.hpp"
#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/policy.hpp"

namespace hoist::promote {

struct EnvImage {
  std::string env;
  std::string branch;
  std::string file;
  std::string tip;                               // the branch tip read
  std::optional<std::string> content;            // the values file; nullopt when the branch has none
  ImagePlaces places;                            // where the file holds the app's image
  std::string problem;                           // places missing or disagreeing (places.problem()); "" when fine
  std::optional<std::string> tag;                // what the places say
  std::optional<std::string> recorded_digest;    // the digest they record
  std::optional<std::string> digest;             // recorded, else resolved
  std::string digest_error;                      // why there is no digest, when there is none
  std::string image;                             // the image repository of this environment (policy)
  std::optional<CommitInfo> last_change;         // the newest commit that changed the file
};

// Reads ENV's state for APP. Without a recorded digest, `resolver` (when given) is asked for IMAGE:TAG; its failure
// goes into digest_error. Throws for git failures and an unknown environment.
EnvImage read_env_image(ManifestRepo& repo, const Policy& policy, const std::string& env, const std::string& app,
                        ImageResolver* resolver, bool with_last_change = false);

// The digest APP's file at some commit records, or the Hoist-Image-Digest trailer of that commit.
std::optional<std::string> digest_at(ManifestRepo& repo, const Policy& policy, const std::string& app,
                                     const CommitInfo& commit, const std::string& file);

// The tag APP's image places in CONTENT (the text of FILE) say; nullopt when none does or the file does not parse.
std::optional<std::string> tag_in(const Policy& policy, const std::string& app, const std::string& content,
                                  const std::string& file);

// "sha256:0123456789ab"
std::string short_digest(const std::string& digest);

}  // namespace hoist::promote
