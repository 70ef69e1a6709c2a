// See release.hpp.
#include "steps/gate/release.hpp"

#include <set>
#include <sstream>

#include "runner/util/errors.hpp"
#include "steps/gate/app_files.hpp"
#include "steps/git/app_trailers.hpp"
#include "steps/render/preview.hpp"

namespace hoist::promote {
namespace {

std::vector<std::string> target_files(const ReleasePlan& plan) {
  std::vector<std::string> files;
  for (const auto& p : plan.apps) files.push_back(p.target.file);
  return files;
}

// The new content of every target file on one snapshot of the target branch.
std::map<std::string, std::string> edit_all(const ReleasePlan& plan, Promoter& promoter, const FileSnapshot& snap) {
  std::map<std::string, std::string> out;
  for (const auto& p : plan.apps) out[p.target.file] = promoter.edit_target(p, snap);
  return out;
}

// "release: 3 apps from staging to prod", a line per app, then one trailer group per app.
std::string release_message(const ReleasePlan& plan) {
  std::string body;
  Trailers trailers;
  for (const auto& p : plan.apps) {
    body += p.options.app + " " + p.tag + " (" + short_digest(p.digest) + ")\n";
    for (const auto& t : app_group(p.options.app, p.target.file, promotion_trailers(p))) trailers.push_back(t);
  }
  const std::string subject = "release: " + std::to_string(plan.apps.size()) + " app" +
                              (plan.apps.size() == 1 ? "" : "s") + " from " + plan.from + " to " + plan.to;
  return append_trailers(subject + "\n\n" + body, trailers);
}

}  // namespace

bool ReleasePlan::allowed() const {
  for (const auto& p : apps)
    if (!p.verdict.allowed) return false;
  return true;
}

std::string ReleasePlan::describe() const {
  std::ostringstream out;
  out << "release " << from << " -> " << to << ": " << apps.size() << " app" << (apps.size() == 1 ? "" : "s");
  if (!same.empty()) out << " (" << same.size() << " already run what " << from << " runs)";
  out << "\n";
  for (const auto& p : apps) out << p.describe();
  int refused = 0;
  for (const auto& p : apps) refused += p.verdict.allowed ? 0 : 1;
  out << "release gate: " << (refused == 0 ? "allowed" : "REFUSED (" + std::to_string(refused) + " of " +
                                                          std::to_string(apps.size()) + " apps)")
      << "\n";
  out << diff;
  return out.str();
}

ReleasePlan Release::plan(const ReleaseOptions& options) {
  ReleasePlan plan;
  const Environment& to = policy_.environment(options.base.to);
  plan.from = policy_.environment(options.base.from).name;
  plan.to = to.name;
  plan.branch = to.branch;
  if (to.via_merge_request)
    throw InputError("a release of several apps into " + to.name +
                     " (via: merge_request) is not supported yet: promote each app, each through its own request");
  std::vector<std::string> apps = options.apps;
  if (options.all) {
    if (!apps.empty()) throw InputError("give apps or --all, not both");
    apps = apps_that_differ(repo_, policy_, plan.from, plan.to, nullptr, &plan.same);
  } else if (apps.empty()) {
    throw InputError("no apps to release: name them or pass --all");
  }
  if (apps.size() > 1) repo_.prefetch_approvals();  // one fetch instead of one per app
  std::set<std::string> seen;
  for (const auto& app : apps) {
    if (!seen.insert(app).second) throw InputError("app '" + app + "' is named twice");
    PromoteOptions o = options.base;
    o.app = app;
    plan.apps.push_back(promoter_.prepare(o));
  }
  if (plan.apps.empty()) return plan;

  BumpRequest req = repo_.bump_request(plan.branch, target_files(plan));
  req.plan = true;
  BumpResult result = run_bump(req, [&](const FileSnapshot& snap) { return edit_all(plan, promoter_, snap); },
                               repo_.bump_env());
  for (auto& p : plan.apps) {
    p.changes = result.diffs.count(p.target.file) > 0;
    p.change = promoter_.change_of(p);
  }
  for (const auto& [_, d] : result.diffs) plan.diff += d;
  plan.changes = result.changed;
  return plan;
}

void require_release_allowed(const ReleasePlan& plan) {
  if (plan.allowed()) return;
  std::string msg = "release of " + std::to_string(plan.apps.size()) + " apps from " + plan.from + " to " + plan.to +
                    " refused (nothing was changed):";
  for (const auto& p : plan.apps)
    for (const auto& r : p.verdict.rules)
      if (!r.passed) msg += "\n  " + p.options.app + ": " + r.name + ": " + r.message;
  throw GateRefused(msg);
}

std::string Release::apply(const ReleasePlan& plan, const BumpEnv& env) {
  require_release_allowed(plan);
  if (plan.apps.empty()) return "";
  for (const auto& p : plan.apps) promoter_.check_writable(p);
  for (const auto& p : plan.apps) promoter_.copy_image(p);
  const PromoteOptions& first = plan.apps.front().options;
  BumpRequest req = repo_.bump_request(plan.branch, target_files(plan));
  req.author = Signature{first.author_name, first.author_email, std::nullopt, 0};
  req.committer = req.author;
  req.message = release_message(plan);
  rendering::RenderPreview preview(env);  // refuses an edit that breaks the render, before the push
  req.inspect = preview.hook();
  BumpResult result = run_bump(req, [&](const FileSnapshot& snap) { return edit_all(plan, promoter_, snap); }, env);
  return result.commit;
}

}  // namespace hoist::promote
