#pragma once
// Rendering an app to the Kubernetes objects the cluster would receive, behind one interface, one implementation
// per tool:
//   kustomize  `kustomize build DIR`, or `kubectl kustomize DIR` when only kubectl is installed;
//   helm       `helm template RELEASE CHART -f VALUES` (RELEASE: the chart directory's name), when helm is on PATH;
//   plain      the manifest files as they are.
// The tools run through ProcessRunner in the directory the tree was exported to; nothing here reaches a cluster.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "runner/util/cancel.hpp"
#include "runner/process/process.hpp"
#include "steps/render/render_target.hpp"

namespace hoist::rendering {

struct Rendered {
  bool ok = false;
  std::string yaml;   // the rendered multi-document YAML
  std::string error;  // when !ok: what the tool said (its stderr, a few lines) or why it did not run
};

struct RenderEnv {
  ProcessRunner* processes = nullptr;
  std::map<std::string, std::string> env;  // PATH finds the tools; the tools' whole environment
  const CancelToken* cancel = nullptr;
  std::chrono::seconds timeout{120};       // per tool run
};

class Renderer {
 public:
  virtual ~Renderer() = default;
  // The command as people know it: "kustomize build", "kubectl kustomize", "helm template", "plain".
  virtual std::string tool() const = 0;
  // Renders TARGET in the tree at ROOT. A tool that fails is a result (ok false, its stderr), not an exception;
  // throws hoist::Error only when the tool cannot be started.
  virtual Rendered render(const std::filesystem::path& root, const RenderTarget& target) const = 0;
};

// The full path of NAME in the PATH of ENV, or "" when it is not there.
std::string find_on_path(const std::string& name, const std::map<std::string, std::string>& env);

// The renderer for KIND with the tools ENV's PATH offers. nullptr when none is installed; then *missing says so
// ("neither kustomize nor kubectl is on PATH").
std::unique_ptr<Renderer> make_renderer(RenderKind kind, const RenderEnv& env, std::string* missing);

}  // namespace hoist::rendering
