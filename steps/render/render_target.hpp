#pragma once
// What to render for a set of changed files, found from the repository's own shape: the nearest directory above a
// changed file that holds a kustomization (kustomize renders that directory), else the nearest Chart.yaml (helm
// renders that chart with the changed file as its values), else the changed file itself when it holds Kubernetes
// objects (a plain manifest renders as it is). A file that fits none (a values file with no chart in the
// repository) has no renderer: the plan shows its values diff only.
//
//   overlays/qa/kustomization.yaml changed      -> kustomize overlays/qa
//   api/qa.values.yaml changed, api/Chart.yaml  -> helm chart api, values api/qa.values.yaml
//   deploy/ingress-nginx.yaml changed           -> plain deploy/ingress-nginx.yaml

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hoist::rendering {

enum class RenderKind { kustomize, helm, plain };

struct RenderTarget {
  RenderKind kind = RenderKind::plain;
  std::string dir;                 // kustomize: the kustomization's directory; helm: the chart's (repo-relative)
  std::vector<std::string> files;  // helm: the values file(s); plain: the manifest file(s)
  // "kustomize overlays/qa", "helm chart api with api/qa.values.yaml", "manifests deploy/ingress-nginx.yaml"
  std::string label() const;
  bool operator==(const RenderTarget&) const = default;
};

struct Detection {
  std::vector<RenderTarget> targets;    // one per kustomization or chart, one for all plain files; in path order
  std::vector<std::string> unrendered;  // changed files no renderer covers
};

// The content of a repo-relative path at the branch tip; nullopt when there is no such file.
using FileLookup = std::function<std::optional<std::string>(const std::string& path)>;

// CHANGED: repo-relative paths of the files the edit changes; READ: the repository at the branch tip (the preview
// reads from git, so that a repository where nothing renders is never written out).
Detection detect_targets(const FileLookup& read, const std::vector<std::string>& changed);
// The same over a directory holding the repository's files.
Detection detect_targets(const std::filesystem::path& root, const std::vector<std::string>& changed);

}  // namespace hoist::rendering
