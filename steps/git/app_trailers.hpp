#pragma once
// One commit that moves several apps (a release: `hoist promote --all`) records one trailer set per app, each group
// opened by `Hoist-App:` and naming the file it is about:
//
//   Hoist-App: api-gateway
//   Hoist-File: api-gateway/prod.values.yaml
//   Hoist-Image-Digest: sha256:...
//   Hoist-Promoted-From: staging
//   ...
//   Hoist-App: billing
//   Hoist-File: billing/prod.values.yaml
//   ...
//
// Readers of one file's history see only the group of that file, so every rule that reads a commit's trailers
// (lineage, builders, digests, build order) reads a release commit as if it were that app's own promotion.

#include <string>

#include "steps/git/trailers.hpp"

namespace hoist {

// The trailers that speak for PATH: without `Hoist-App:` groups, all of them; with groups, the trailers before the
// first group followed by the group whose `Hoist-File:` is PATH (none of the groups' when no group names it).
Trailers trailers_for_file(const Trailers& trailers, const std::string& path);

// One group: `Hoist-App: APP`, `Hoist-File: FILE`, then TRAILERS (empty values skipped by append_trailers).
Trailers app_group(const std::string& app, const std::string& file, const Trailers& trailers);

}  // namespace hoist
