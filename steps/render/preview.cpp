// See preview.hpp.

#include "steps/render/preview.hpp"

#include <fstream>
#include <sstream>

#include "runner/process/scratch_dir.hpp"
#include "runner/util/errors.hpp"
#include "steps/git/commit_files.hpp"
#include "steps/render/renderer.hpp"
#include "steps/git/tree_export.hpp"

namespace hoist::rendering {
namespace fs = std::filesystem;
namespace {

bool turned_off(const std::map<std::string, std::string>& env) {
  auto it = env.find("HOIST_RENDER");
  if (it == env.end()) return false;
  return it->second == "off" || it->second == "0" || it->second == "false" || it->second == "no";
}

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw Error("cannot write " + path.string());
}

}  // namespace

RenderPreview::RenderPreview(const BumpEnv& env)
    : env_(env.env), processes_(env.processes), cancel_(env.cancel), enabled_(!turned_off(env.env)) {}

std::function<void(git_repository*, const std::string&, const std::map<std::string, std::string>&)>
RenderPreview::hook() {
  return [this](git_repository* repo, const std::string& tip, const std::map<std::string, std::string>& changes) {
    inspect(repo, tip, changes);
  };
}

void RenderPreview::inspect(git_repository* repo, const std::string& tip,
                            const std::map<std::string, std::string>& changes) {
  sections_.clear();
  unrendered_.clear();
  ran_ = false;
  if (!enabled_) return;
  ran_ = true;
  std::vector<std::string> paths;
  for (const auto& [path, _] : changes) paths.push_back(path);
  Detection found = detect_targets(
      [&](const std::string& path) { return read_files(repo, tip, {path}).at(path); }, paths);
  unrendered_ = found.unrendered;
  if (found.targets.empty()) return;  // nothing renders: the tree is not written out

  ScratchDir scratch("hoist-render");
  const fs::path root = scratch.path() / "tree";
  export_tree(repo, tip, root);

  RenderEnv renv{processes_, env_, cancel_};
  std::vector<std::unique_ptr<Renderer>> renderers;
  std::vector<Rendered> before;
  for (const auto& target : found.targets) {
    PreviewSection s{target, "", std::nullopt, ""};
    std::string missing;
    renderers.push_back(make_renderer(target.kind, renv, &missing));
    if (!renderers.back()) {
      s.note = "cannot render " + target.label() + ": " + missing + "; showing the values diff only";
      before.push_back({});
    } else {
      s.tool = renderers.back()->tool();
      before.push_back(renderers.back()->render(root, target));
      if (!before.back().ok)
        s.note = target.label() + " does not render at the branch tip (" + s.tool + "), so the edit's effect cannot "
                 "be shown; showing the values diff only: " + before.back().error;
    }
    sections_.push_back(std::move(s));
  }

  for (const auto& [path, content] : changes) write_file(root / path, content);

  for (size_t i = 0; i < sections_.size(); ++i) {
    PreviewSection& s = sections_[i];
    if (!before[i].ok) continue;
    Rendered after = renderers[i]->render(root, s.target);
    if (!after.ok)
      throw InputError("the edit breaks " + s.target.label() + ": it renders at the branch tip but not with the "
                       "edit (" + s.tool + "); nothing was pushed\n" + after.error);
    const std::string source = "rendered " + s.target.label();
    s.diff = diff_objects(parse_objects(before[i].yaml, source + " at the tip"),
                          parse_objects(after.yaml, source + " with the edit"));
  }
}

std::vector<std::string> RenderPreview::text_lines() const {
  std::vector<std::string> out;
  for (const auto& s : sections_) {
    if (!s.diff) {
      std::istringstream note(s.note);
      for (std::string line; std::getline(note, line);) out.push_back(line);
      continue;
    }
    out.push_back("rendered " + s.target.label() + " (" + s.tool + "): " + s.diff->count_line());
    for (const auto& line : s.diff->lines()) out.push_back("  " + line);
    std::istringstream diff(s.diff->unified());
    for (std::string line; std::getline(diff, line);) out.push_back(line);
  }
  if (ran_)
    for (const auto& file : unrendered_)
      out.push_back("not rendered: " + file + " (no kustomization or Chart.yaml above it, and no Kubernetes objects "
                    "in it); showing the values diff only");
  return out;
}

std::string RenderPreview::text() const {
  std::string s;
  for (const auto& line : text_lines()) s += line + "\n";
  return s;
}

std::string RenderPreview::summary() const {
  std::string s;
  for (const auto& sec : sections_)
    if (sec.diff) s += (s.empty() ? "" : "; ") + sec.diff->count_line();
  return s;
}

std::string RenderPreview::json_text() const {
  return json().dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::ordered_json RenderPreview::json() const {
  nlohmann::ordered_json sections = nlohmann::ordered_json::array();
  for (const auto& s : sections_) {
    nlohmann::ordered_json j{{"target", s.target.label()}, {"tool", s.tool}};
    if (s.diff) {
      auto d = s.diff->json();
      j["summary"] = d["summary"];
      j["objects"] = d["objects"];
    } else {
      j["note"] = s.note;
    }
    sections.push_back(std::move(j));
  }
  return {{"sections", sections}, {"unrendered", unrendered_}};
}

}  // namespace hoist::rendering
