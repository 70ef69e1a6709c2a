// See pipeline_paths.hpp.
#include "runner/cli/pipeline_paths.hpp"

#include <algorithm>

#include "runner/pipeline/paths_key.hpp"
#include "runner/util/path_glob.hpp"
#include "runner/util/whole_file.hpp"

namespace hoist {
namespace {

// "./a//b/" -> "a/b"; "" for what names no place inside the repository (absolute, "..", "." itself).
std::string relative(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find("${") != std::string::npos) return "";
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string part = path.substr(start, end - start);
    if (part == "..") return "";
    if (!part.empty() && part != ".") out += (out.empty() ? "" : "/") + part;
    start = end + 1;
  }
  return out;
}

void add(std::vector<std::string>& out, const std::string& path) {
  if (!path.empty() && std::find(out.begin(), out.end(), path) == out.end()) out.push_back(path);
}

// A directory or a file: itself and everything under it.
void add_tree(std::vector<std::string>& out, const std::string& path) {
  const std::string p = relative(path);
  if (p.empty()) return;
  add(out, p);
  add(out, p + "/**/*");
}

// `paths:` of the (already loaded and checked) pipeline file.
std::vector<std::string> paths_key_of(const Pipeline& pipeline) {
  const std::optional<std::string> text = read_whole_file(pipeline.file);
  if (!text) return {};
  Diagnostics ignored;  // reported when the file was loaded
  return read_paths_key(YAML::Load(*text), pipeline.file, ignored);
}

}  // namespace

std::vector<std::string> pipeline_paths(const Pipeline& pipeline) {
  std::vector<std::string> out;
  add(out, relative(pipeline.file));
  if (const auto given = paths_key_of(pipeline); !given.empty()) {
    for (const auto& p : given) add(out, p);
    return out;
  }
  for (const auto& step : pipeline.steps) {
    if (step.kind == "run" && !step.working_dir) {  // under a working_dir, its tree covers the script
      const std::string& cmd = step.run.value;
      const std::string first = cmd.substr(0, cmd.find_first_of(" \t\n;&|"));
      if (first.find('/') != std::string::npos) add(out, relative(first));
    }
    if (step.working_dir) add_tree(out, step.working_dir->value);
    if (step.kind == "image/build" && step.with.IsMap() && step.with["layers"].IsSequence())
      for (const auto& layer : step.with["layers"])
        if (layer.IsMap() && layer["src"].IsScalar()) add_tree(out, layer["src"].Scalar());
  }
  return out;
}

bool touches(const std::vector<std::string>& paths, const std::vector<std::string>& changed) {
  for (const auto& c : changed)
    for (const auto& p : paths)
      if (path_glob_match(p, c)) return true;
  return false;
}

}  // namespace hoist
