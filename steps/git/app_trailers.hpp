#pragma once
// One commit that moves several apps (a release: `hoist promote --all`) records one trailer set per app, as a group
// of steps/git/trailers.hpp (opened by `Hoist-File:`, which trailers_for_file reads back), naming its app too:
//
//   Hoist-File: api-gateway/prod.values.yaml
//   Hoist-App: api-gateway
//   Hoist-Image-Digest: sha256:...
//   Hoist-Promoted-From: staging
//   ...
//   Hoist-File: billing/prod.values.yaml
//   Hoist-App: billing
//   ...
//
// Readers of one file's history see only the group of that file (file_history narrows it), so every rule that reads
// a commit's trailers (lineage, builders, digests, build order) reads a release commit as that app's own promotion.

#include <string>

#include "steps/git/trailers.hpp"

namespace hoist {

// One group: `Hoist-File: FILE`, `Hoist-App: APP`, then TRAILERS (empty values skipped by append_trailers).
Trailers app_group(const std::string& app, const std::string& file, const Trailers& trailers);

}  // namespace hoist
