#pragma once
// The image config (https://github.com/opencontainers/image-spec/blob/main/config.md): the base's config carried
// over and changed the way a Dockerfile would change it, plus the new layers' diff_ids and history. Serialised by
// nlohmann::json, whose objects keep their keys sorted, so the same inputs always give the same bytes.
//
// Semantics, following docker build:
// - `entrypoint` replaces the base's; when `cmd` is not given at the same time, the base's Cmd is cleared (an
//   inherited Cmd was written for the base's entrypoint).
// - `env` merges by name: an existing NAME keeps its place and gets the new value; new names are appended in order.
// - `labels` are added or replaced; `revision` and `source` fill org.opencontainers.image.revision/.source unless
//   `labels` sets them explicitly. The base's own revision and source labels are always dropped first: they
//   describe the base's build, so a build without its own values carries none rather than the base's.
// - `expose` entries "8080" become "8080/tcp"; "53/udp" stays.
// - `created` is SOURCE_DATE_EPOCH (else 0) as RFC 3339; one history entry per new layer with the same time.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoist::image {

// The OCI keys for where an image was built from, used as config labels and as manifest annotations.
inline constexpr std::string_view kRevisionKey = "org.opencontainers.image.revision";
inline constexpr std::string_view kSourceKey = "org.opencontainers.image.source";

struct Platform {
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant;  // "v8" for arm64, empty when none

  // "linux/amd64", "linux/arm64/v8"; throws hoist::InputError for anything else.
  static Platform parse(const std::string& text);
  std::string to_string() const;
};

struct ConfigChanges {
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> cmd;
  std::vector<std::pair<std::string, std::string>> env;
  std::optional<std::string> workdir;
  std::optional<std::string> user;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::string> expose;
  std::string revision;  // COMMIT_SHA; empty: not set
  std::string source;    // REPO_URL; empty: not set
};

struct HistoryLayer {
  std::string diff_id;
  std::string created_by;  // e.g. "hoist image/build: build/app -> /app"
};

// `base` is the base image's config, or nullopt for scratch (then `platform` gives os/architecture). Throws
// hoist::InputError for a malformed `expose` entry and hoist::Error for a base config that is not an object.
nlohmann::json make_config(const std::optional<nlohmann::json>& base, const Platform& platform,
                           const ConfigChanges& changes, const std::vector<HistoryLayer>& layers, long long created);

// 0 → "1970-01-01T00:00:00Z".
std::string rfc3339(long long epoch_seconds);

// SOURCE_DATE_EPOCH from the environment, else 0. Throws hoist::InputError when set but not a non-negative integer.
long long source_date_epoch();

// "8080" → "8080/tcp"; throws hoist::InputError unless PORT or PORT/tcp|udp|sctp with PORT in 1..65535.
std::string normalize_port(const std::string& port);

}  // namespace hoist::image
