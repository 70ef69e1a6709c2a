#pragma once
// The rendered preview of a manifest edit: what a bump or promotion changes in the cluster, not only in the file.
// Hooked into the bump transaction (BumpRequest::inspect), it runs on every attempt after the edit and before the
// commit: finds what renders the changed files (render_target.hpp, read from git), exports the repository at the
// branch tip to a scratch directory (only when something renders), renders each target at the tip, writes the edit
// over the tree, renders again, and diffs the objects (object_diff.hpp).
//
//   RenderPreview preview(env);          // env: the bump's BumpEnv (processes, environment, cancel)
//   request.inspect = preview.hook();
//   run_bump(request, edit, env);        // InputError (exit 2) when the edit breaks a render, before any push
//   for (auto& line : preview.text_lines()) print(line);
//
// When no renderer is installed, or the app does not render at the tip already, the preview says so in a note and
// the plan falls back to the values diff; only a render that worked at the tip and fails with the edit refuses the
// change. HOIST_RENDER=off in the environment turns rendering off.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "steps/git/bump_transaction.hpp"
#include "steps/render/object_diff.hpp"
#include "steps/render/render_target.hpp"

namespace hoist::rendering {

struct PreviewSection {
  RenderTarget target;
  std::string tool;                // "kubectl kustomize", ... ; "" when none could run
  std::optional<ObjectDiff> diff;  // set when both renders worked
  std::string note;                // why there is no diff ("neither kustomize nor kubectl is on PATH", ...)
};

class RenderPreview {
 public:
  explicit RenderPreview(const BumpEnv& env);

  // For BumpRequest::inspect. Throws InputError when the edit breaks a render that worked at the tip.
  std::function<void(git_repository*, const std::string&, const std::map<std::string, std::string>&)> hook();
  // The same, callable directly (tests): ROOT_COMMIT's tree with CHANGES written over it.
  void inspect(git_repository* repo, const std::string& tip, const std::map<std::string, std::string>& changes);

  bool enabled() const { return enabled_; }
  bool ran() const { return ran_; }
  const std::vector<PreviewSection>& sections() const { return sections_; }
  const std::vector<std::string>& unrendered() const { return unrendered_; }

  // For --plan: per target "rendered with kubectl kustomize overlays/qa:", the count line, the field lines, then
  // the unified diff of the objects; notes for what could not be rendered. Empty when nothing ran.
  std::vector<std::string> text_lines() const;
  // text_lines() as one text, each line ending in a newline.
  std::string text() const;
  // The count lines of every target joined with "; " ("1 object changes: 1 Deployment"); "" when none.
  std::string summary() const;
  // {"sections": [{"target", "tool", "summary", "objects", "note"}], "unrendered": [...]}
  nlohmann::ordered_json json() const;
  // json() as one line of text, invalid UTF-8 replaced (what a step's `rendered` output holds).
  std::string json_text() const;

 private:
  std::map<std::string, std::string> env_;
  ProcessRunner* processes_;
  const CancelToken* cancel_;
  bool enabled_ = true;
  bool ran_ = false;
  std::vector<PreviewSection> sections_;
  std::vector<std::string> unrendered_;
};

}  // namespace hoist::rendering
