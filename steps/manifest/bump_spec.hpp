#pragma once
// What a `manifest/bump` step (or `hoist bump`) asks for, read from its `with`:
//
//   with:
//     repo: ${MANIFEST_REPO}             # https/ssh/file URL or a local path
//     branch: qa
//     file: api-gateway/qa.values.yaml   # one file ...
//     set: {image.tag: "${COMMIT_SHORT_SHA}"}
//     images: ["registry.example.com/shop/api:1.4.2"]
//     markers: {"flux-system:api": "registry.example.com/shop/api:1.4.2"}
//     edits:                             # ... or several, all in one commit
//       - {file: web/qa.values.yaml, set: {image.tag: "1.4.2"}, digest: "sha256:..."}
//     create: false                      # set: insert missing keys
//     all: false                         # set: a key path may match several places
//     message: "..."                     # else "<app>: <old> → <new>" and the pipeline URL
//     author: "Name <email>"             # else the CI identity, else Hoist
//     digest: sha256:...                 # recorded as the Hoist-Image-Digest trailer (per file: in `edits`)
//     timeout: 5m                        # keep retrying while the branch moves, until this deadline
//     signing_key: ~/.ssh/id_ed25519     # sign the commit (else HOIST_SIGNING_KEY, else git's commit.gpgsign)
//     signing_format: ssh                # openpgp (default) or ssh
//     username, password, ssh_key, ca_file, cache_dir
//
// The same reader checks a pipeline at load time (reporting every problem at its place) and reads the resolved
// `with` when the step runs.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "runner/util/diagnostics.hpp"
#include "steps/yamledit/yamledit.hpp"

namespace hoist {

struct FileEdits {
  std::string file;
  std::vector<yamledit::Edit> edits;
  std::optional<std::string> digest;  // an `edits:` entry's own `digest:` (else the step's)
};

struct BumpSpec {
  std::string repo;
  std::string branch;
  std::vector<FileEdits> files;
  std::optional<std::string> message;
  std::optional<std::string> author;
  std::optional<std::string> digest;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> ssh_key;    // private key file for ssh URLs (else ssh-agent)
  std::optional<std::string> ca_file;
  std::optional<std::string> cache_dir;
  std::optional<std::string> signing_key;     // steps/signing/commit_signer.hpp: with HOIST_SIGNING_* and git's
  std::optional<std::string> signing_format;  // configuration, which key signs the commit
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
};

// Reads `with`; problems go to `diags` with their places in `file`. Values that still hold ${...} (at load time)
// are not checked for type or syntax.
BumpSpec read_bump_spec(const YAML::Node& with, const std::string& file, Diagnostics& diags);

}  // namespace hoist
