// See render_target.hpp.

#include "steps/render/render_target.hpp"

#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace hoist::rendering {
namespace fs = std::filesystem;
namespace {

bool has_kustomization(const FileLookup& read, const fs::path& dir) {
  for (const char* name : {"kustomization.yaml", "kustomization.yml", "Kustomization"})
    if (read((dir / name).generic_string())) return true;
  return false;
}

// True when some document of the file is a mapping with apiVersion and kind. A file that does not parse is not a
// manifest either (the edit's own checks report broken YAML).
bool holds_objects(const std::optional<std::string>& text) {
  if (!text) return false;
  try {
    for (const auto& doc : YAML::LoadAll(*text))
      if (doc.IsMap() && doc["apiVersion"] && doc["kind"]) return true;
  } catch (const YAML::Exception&) {
  }
  return false;
}

std::string rel(const fs::path& p) {
  std::string s = p.generic_string();
  return s.empty() ? "." : s;
}

}  // namespace

std::string RenderTarget::label() const {
  std::string joined;
  for (const auto& f : files) joined += (joined.empty() ? "" : ", ") + f;
  switch (kind) {
    case RenderKind::kustomize: return "kustomize " + dir;
    case RenderKind::helm: return "helm chart " + dir + " with " + joined;
    case RenderKind::plain: break;
  }
  return "manifests " + joined;
}

Detection detect_targets(const fs::path& root, const std::vector<std::string>& changed) {
  return detect_targets(
      [&](const std::string& path) -> std::optional<std::string> {
        std::ifstream in(root / path, std::ios::binary);
        if (!in || !fs::is_regular_file(root / path)) return std::nullopt;
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
      },
      changed);
}

Detection detect_targets(const FileLookup& read, const std::vector<std::string>& changed) {
  Detection d;
  RenderTarget plain{RenderKind::plain, "", {}};
  auto add = [&](RenderTarget t) {
    for (auto& have : d.targets) {
      if (have.kind != t.kind || have.dir != t.dir) continue;
      for (auto& f : t.files) have.files.push_back(f);
      return;
    }
    d.targets.push_back(std::move(t));
  };
  for (const auto& file : changed) {
    bool found = false;
    for (fs::path dir = fs::path(file).parent_path();; dir = dir.parent_path()) {
      if (has_kustomization(read, dir)) {
        add({RenderKind::kustomize, rel(dir), {}});
        found = true;
      } else if (read((dir / "Chart.yaml").generic_string())) {
        add({RenderKind::helm, rel(dir), {file}});
        found = true;
      }
      if (found || dir.empty()) break;
    }
    if (found) continue;
    if (holds_objects(read(file)))
      plain.files.push_back(file);
    else
      d.unrendered.push_back(file);
  }
  if (!plain.files.empty()) d.targets.push_back(plain);
  return d;
}

}  // namespace hoist::rendering
