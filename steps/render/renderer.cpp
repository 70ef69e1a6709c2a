// See renderer.hpp.

#include "steps/render/renderer.hpp"

#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

#include "runner/util/errors.hpp"

namespace hoist::rendering {
namespace fs = std::filesystem;
namespace {

constexpr size_t kErrorLines = 8;  // of a failing tool's stderr, in the message

// kubectl logs through klog: 'E1206 03:24:24.284430    9393 run.go:72] "command failed" err="..."'. The prefix
// (severity, date, time, thread, source line) says nothing to the reader of a plan.
std::string without_klog_prefix(std::string_view line) {
  static const std::regex klog(R"(^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [^\]]+\] )");
  return std::regex_replace(std::string(line), klog, "", std::regex_constants::format_first_only);
}

// Runs ARGV in ROOT and collects stdout as the rendered YAML, stderr as the error.
Rendered run_tool(const RenderEnv& env, std::vector<std::string> argv, const fs::path& root) {
  if (!env.processes) throw Error("cannot render: no process runner");
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.env = env.env;
  spec.working_dir = root.string();
  spec.deadline = std::chrono::steady_clock::now() + env.timeout;
  std::string out;
  std::vector<std::string> err;
  CancelToken never;
  ProcessResult r = env.processes->run(
      spec,
      [&](std::string_view line, OutputStream stream) {
        if (stream == OutputStream::out)
          out.append(line).push_back('\n');
        else
          err.push_back(without_klog_prefix(line));
      },
      env.cancel ? *env.cancel : never);
  Rendered result;
  result.ok = r.ok();
  if (result.ok) {
    result.yaml = std::move(out);
    return result;
  }
  if (r.cancelled) throw Error("cancelled", ExitCode::interrupted);
  std::string what = spec.argv[0] == "kubectl" ? "kubectl kustomize" : spec.argv[0];
  if (r.timed_out)
    result.error = what + " did not finish within " + std::to_string(env.timeout.count()) + " s";
  else if (r.signal)
    result.error = what + " was killed by signal " + std::to_string(r.signal);
  else
    result.error = what + " exited with " + std::to_string(r.exit_code);
  for (size_t i = 0; i < err.size() && i < kErrorLines; ++i) result.error += (i ? "\n" : ": ") + err[i];
  if (err.size() > kErrorLines) result.error += "\n(" + std::to_string(err.size() - kErrorLines) + " more lines)";
  return result;
}

class KustomizeRenderer : public Renderer {
 public:
  KustomizeRenderer(const RenderEnv& env, bool kubectl) : env_(env), kubectl_(kubectl) {}
  std::string tool() const override { return kubectl_ ? "kubectl kustomize" : "kustomize build"; }
  Rendered render(const fs::path& root, const RenderTarget& t) const override {
    if (kubectl_) return run_tool(env_, {"kubectl", "kustomize", t.dir}, root);
    return run_tool(env_, {"kustomize", "build", t.dir}, root);
  }

 private:
  RenderEnv env_;
  bool kubectl_;
};

class HelmRenderer : public Renderer {
 public:
  explicit HelmRenderer(const RenderEnv& env) : env_(env) {}
  std::string tool() const override { return "helm template"; }
  Rendered render(const fs::path& root, const RenderTarget& t) const override {
    std::string release = fs::path(t.dir).filename().string();
    if (release.empty() || release == ".") release = "release";
    std::vector<std::string> argv{"helm", "template", release, t.dir};
    for (const auto& values : t.files) {
      argv.push_back("--values");
      argv.push_back(values);
    }
    return run_tool(env_, argv, root);
  }

 private:
  RenderEnv env_;
};

class PlainRenderer : public Renderer {
 public:
  std::string tool() const override { return "plain"; }
  Rendered render(const fs::path& root, const RenderTarget& t) const override {
    Rendered r;
    for (const auto& file : t.files) {
      std::ifstream in(root / file, std::ios::binary);
      if (!in) {
        r.error = "cannot read " + file;
        return r;
      }
      std::stringstream text;
      text << in.rdbuf();
      std::string s = text.str();
      if (!r.yaml.empty()) r.yaml += "---\n";
      r.yaml += s;
      if (!s.empty() && s.back() != '\n') r.yaml += '\n';
    }
    r.ok = true;
    return r;
  }
};

}  // namespace

std::string find_on_path(const std::string& name, const std::map<std::string, std::string>& env) {
  auto it = env.find("PATH");
  if (it == env.end()) return "";
  std::stringstream dirs(it->second);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

std::unique_ptr<Renderer> make_renderer(RenderKind kind, const RenderEnv& env, std::string* missing) {
  if (!env.processes && kind != RenderKind::plain) {
    if (missing) *missing = "no programs can be run here";
    return nullptr;
  }
  switch (kind) {
    case RenderKind::kustomize:
      if (!find_on_path("kustomize", env.env).empty()) return std::make_unique<KustomizeRenderer>(env, false);
      if (!find_on_path("kubectl", env.env).empty()) return std::make_unique<KustomizeRenderer>(env, true);
      if (missing) *missing = "neither kustomize nor kubectl is on PATH";
      return nullptr;
    case RenderKind::helm:
      if (!find_on_path("helm", env.env).empty()) return std::make_unique<HelmRenderer>(env);
      if (missing) *missing = "helm is not on PATH";
      return nullptr;
    case RenderKind::plain: break;
  }
  return std::make_unique<PlainRenderer>();
}

}  // namespace hoist::rendering
