// See promote_step.hpp.

#include "steps/promote/promote_step.hpp"

#include <sstream>

#include "runner/pipeline/yaml_check.hpp"
#include "runner/report/reporter.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/join.hpp"
#include "runner/process/process.hpp"
#include "steps/git/ancestry.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/gate/identity.hpp"
#include "steps/gate/merge_request.hpp"
#include "steps/gate/new_approval.hpp"
#include "steps/gate/production_policy.hpp"
#include "steps/gate/promotion.hpp"
#include "steps/gate/release.hpp"
#include "steps/signing/commit_signer.hpp"

namespace hoist {
namespace {

const std::vector<std::string> kCommonKeys = {"app",      "repo",    "digest",      "username",
                                              "password", "ca_file", "signing_key", "signing_format"};
const std::vector<std::string> kPromoteOutputs = {"commit", "digest", "tag",      "allowed",   "changed",
                                                  "app",    "from",   "to",       "promoter",  "approvers", "change",
                                                  "release",  "merge_request", "objects", "rendered"};

std::string output_of(const StepResult& r, const std::string& name) {
  auto it = r.outputs.find(name);
  return it == r.outputs.end() ? std::string() : it->second;
}

bool templated(const YAML::Node& n) { return n.IsScalar() && n.Scalar().find("${") != std::string::npos; }

// Checks `with`: known keys, required strings, booleans, a digest's shape; every problem at its place.
void check_with(const Step& step, const std::string& file, Diagnostics& diags, const std::string& kind,
                std::vector<std::string> keys, const std::vector<std::string>& required) {
  const YAML::Node& with = step.with;
  if (!with || with.IsNull()) {
    diags.add(step.loc, kind + " needs 'with' (" + [&] {
      std::string s;
      for (const auto& r : required) s += (s.empty() ? "" : ", ") + r;
      return s;
    }() + ")");
    return;
  }
  if (!expect_map(with, "with", file, diags)) return;
  keys.insert(keys.end(), kCommonKeys.begin(), kCommonKeys.end());
  check_keys(with, keys, kind + "'s with", file, diags);
  for (const auto& r : required)
    if (!with[r]) diags.add(location_of(with, file), kind + " needs '" + r + "' in its with");
  for (const auto& k : keys) {
    YAML::Node n = with[k];
    if (!n) continue;
    if (k == "rollback" || k == "allow_older" || k == "merge") {
      if (!templated(n)) read_bool(n, k, file, diags);
    } else if (k == "apps") {
      if (!templated(n) && !(n.IsScalar() && n.Scalar() == "all")) read_string_list(n, k, file, diags);
    } else if (auto v = read_string(n, k, file, diags); v && k == "digest" && !templated(n) &&
                                                          !promote::is_digest(*v)) {
      diags.add(location_of(n, file), "'digest' must be sha256:<64 hex digits>, got '" + *v + "'");
    } else if (v && k == "signing_format" && !templated(n) && !is_signing_format(*v)) {
      diags.add(location_of(n, file), "'signing_format' must be openpgp or ssh, got '" + *v + "'");
    }
  }
}

// One app (`app`) or a release's apps (`apps: [a, b]` or `apps: all`), never both.
void check_app_or_apps(const Step& step, const std::string& file, Diagnostics& diags, const std::string& kind) {
  const YAML::Node& with = step.with;
  if (!with || !with.IsMap()) return;
  if (!with["app"] && !with["apps"])
    diags.add(location_of(with, file), kind + " needs 'app' (or 'apps' for a release) in its with");
  if (with["app"] && with["apps"]) diags.add(location_of(with["apps"], file), "give 'app' or 'apps', not both");
}

// `apps: [a, b]` or `apps: all`, as the release and the set approval take them.
void read_apps(StepContext& ctx, std::vector<std::string>& apps, bool& all) {
  const YAML::Node node = ctx.with["apps"];
  if (node.IsScalar() && node.Scalar() == "all") {
    all = true;
  } else if (node.IsSequence()) {
    for (const auto& a : node) apps.push_back(a.Scalar());
  } else {
    throw InputError("step '" + ctx.step.id + "': 'apps' must be a list of apps or 'all'");
  }
}

std::optional<std::string> str(const YAML::Node& with, const char* key) {
  if (!with[key] || with[key].IsNull()) return std::nullopt;
  return with[key].Scalar();
}

std::string env_or(const std::map<std::string, std::string>& env, const std::string& key) {
  auto it = env.find(key);
  return it == env.end() ? std::string() : it->second;
}

// Signs the commits the step writes when it writes any (not in plan mode); a key that cannot sign fails here, before
// anything is pushed (steps/signing/commit_signer.hpp).
promote::ManifestAccess access_for(StepContext& ctx, bool plan_only) {
  promote::ManifestAccess a;
  a.repo = str(ctx.with, "repo").value_or("");
  a.creds.username = str(ctx.with, "username");
  a.creds.password = str(ctx.with, "password");
  a.ca_file = str(ctx.with, "ca_file");
  a.env = ctx.env;
  a.processes = &ctx.processes;
  a.cancel = &ctx.cancel;
  a.log = [&ctx](std::string_view line) { ctx.print(line, OutputStream::err); };
  if (!plan_only)
    a.sign = ready_commit_signer({str(ctx.with, "signing_key"), str(ctx.with, "signing_format")}, ctx.processes, ctx.env);
  return a;
}

void print_lines(StepContext& ctx, const std::string& text) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) ctx.print(line, OutputStream::out);
}

// What both kinds start from: the manifest repository, its production policy, and who runs the step with the
// author of what it writes. Identity comes from the process environment (the CI job's), never from the step's
// `env`, which the pipeline file writes.
struct Session {
  promote::ManifestRepo repo;
  promote::ProductionPolicy pp;
  std::string identity;
  Signature author;

  Session(StepContext& ctx, bool plan_only)
      : repo(access_for(ctx, plan_only)), pp(promote::read_production_policy(repo)) {
    const std::map<std::string, std::string> process_env = current_environment();
    identity = promote::current_identity(process_env, pp.policy, [] { return git_user_identity(); });
    auto [name, email] = promote::commit_author(identity, process_env);
    author = Signature{name, email, std::nullopt, 0};
  }
};

// Notification outcomes as lines of the step's log, worded like the text reporter's.
class StepLogReporter : public Reporter {
 public:
  explicit StepLogReporter(StepContext& ctx) : ctx_(ctx) {}
  void notification_finished(const NotificationResult& r) override {
    if (r.ok)
      ctx_.print("notify: " + r.event + ": posted to " + r.target + " (HTTP " + std::to_string(r.http_status) + ")",
                 OutputStream::out);
    else
      ctx_.print(std::string("notify: ") + (r.fails_run ? "error: " : "warning: ") + r.event + ": " + r.problem +
                     (r.fails_run ? " (on_error: fail)" : ""),
                 OutputStream::err);
  }

 private:
  StepContext& ctx_;
};

// The policy's on_promotion hooks, for a promotion this step made: the policy speaks for every promotion, whether
// `hoist promote` or a pipeline made it (the pipeline's own hooks are posted after the run). Webhooks and texts take
// variables from the step's environment. A failed hook with on_error: fail fails the step; the promotion stands.
void notify_policy_hooks(StepContext& ctx, const promote::Policy& policy, PromotionNotice notice,
                         const PostPromotionHooks& post_promotion_hooks) {
  if (policy.on_promotion.empty()) return;
  notice.pipeline_url = env_or(ctx.env, "PIPELINE_URL");
  Resolver from_env = environment_resolver(ctx.env);
  StepLogReporter log(ctx);
  for (const auto& r : post_promotion_hooks(policy.on_promotion, notice, from_env, log, ctx.cancel))
    if (r.fails_run)
      throw Error("a notification of the policy failed (on_error: fail); the promotion stands: " + notice.to +
                  " runs " + notice.tag);
}

class PromoteStep : public StepKind {
 public:
  explicit PromoteStep(PostPromotionHooks post_hooks) : post_hooks_(std::move(post_hooks)) {}
  std::string name() const override { return "promote"; }
  void validate(const Step& step, const std::string& file, Diagnostics& diags) const override {
    check_with(step, file, diags, "promote",
               {"from", "to", "rollback", "allow_older", "freeze_override", "apps", "merge", "forge_token"},
               {"to", "repo"});
    check_app_or_apps(step, file, diags, "promote");
    const YAML::Node& with = step.with;
    if (with && with.IsMap() && !with["from"] && !(with["rollback"] && with["rollback"].Scalar() == "true"))
      diags.add(location_of(with, file), "promote needs 'from' in its with (or rollback: true)");
  }
  OutputSpec outputs() const override { return {kPromoteOutputs, false}; }
  void plan(StepContext& ctx) const override { run(ctx, true); }
  void apply(StepContext& ctx) const override { run(ctx, false); }

 private:
  void run(StepContext& ctx, bool plan_only) const {
    Session session(ctx, plan_only);
    promote::ManifestRepo& repo = session.repo;
    const promote::ProductionPolicy& pp = session.pp;
    if (ctx.with["apps"]) return run_release(ctx, session, plan_only);
    promote::PromoteOptions options;
    options.app = str(ctx.with, "app").value_or("");
    options.from = str(ctx.with, "from").value_or("");
    options.to = str(ctx.with, "to").value_or("");
    options.digest = str(ctx.with, "digest");
    options.rollback = str(ctx.with, "rollback") == "true";
    options.allow_older = str(ctx.with, "allow_older") == "true";
    options.ancestry = [&ctx](const std::string& a, const std::string& b) {
      return git_is_ancestor(ctx.processes, ctx.env, ctx.working_dir, a, b);
    };
    options.freeze_override = str(ctx.with, "freeze_override").value_or("");
    options.promoter = session.identity;
    options.author_name = session.author.name;
    options.author_email = session.author.email;
    options.pipeline_url = env_or(ctx.env, "PIPELINE_URL");
    auto resolver = promote::make_registry_resolver();
    promote::SshKeygen signatures(ctx.processes, ctx.env);
    promote::Promoter promoter(repo, pp.policy, *resolver, signatures, promote::now_utc());
    promote::PromotionPlan plan = promoter.plan(options);
    print_lines(ctx, plan.describe());
    ctx.outputs["digest"] = plan.digest;
    ctx.outputs["tag"] = plan.tag;
    ctx.outputs["allowed"] = plan.verdict.allowed ? "true" : "false";
    ctx.outputs["commit"] = "";
    ctx.outputs["changed"] = plan.changes ? "true" : "false";  // in plan mode: would change
    const PromotionNotice notice = plan.notice();
    ctx.outputs["app"] = notice.app;
    ctx.outputs["from"] = notice.from;
    ctx.outputs["to"] = notice.to;
    ctx.outputs["promoter"] = notice.who;
    ctx.outputs["approvers"] = join(notice.approvers, ",");
    ctx.outputs["change"] = notice.change;
    ctx.outputs["merge_request"] = "";
    ctx.outputs["release"] = "false";
    ctx.outputs["objects"] = plan.objects;  // what the change renders to (steps/render), as in manifest/bump
    ctx.outputs["rendered"] = plan.rendered_json;
    if (plan_only) return;
    BumpEnv env = repo.bump_env();
    if (const promote::Environment& target = pp.policy.environment(plan.target.env); target.via_merge_request) {
      if (!propose(ctx, repo, target, promoter, plan)) return;
      notify_policy_hooks(ctx, pp.policy, notice, post_hooks_);
      return;
    }
    ctx.outputs["commit"] = promoter.apply(plan, env);
    ctx.print("pushed " + ctx.outputs["commit"].substr(0, 12) + " to branch " + plan.target.branch,
              OutputStream::out);
    if (plan.changes) notify_policy_hooks(ctx, pp.policy, notice, post_hooks_);
  }

  // `apps: [a, b]` or `apps: all`: a release (steps/gate/release.hpp), one commit for every app.
  void run_release(StepContext& ctx, Session& session, bool plan_only) const {
    promote::ReleaseOptions options;
    read_apps(ctx, options.apps, options.all);
    promote::PromoteOptions& base = options.base;
    base.from = str(ctx.with, "from").value_or("");
    base.to = str(ctx.with, "to").value_or("");
    base.promoter = session.identity;
    base.author_name = session.author.name;
    base.author_email = session.author.email;
    base.pipeline_url = env_or(ctx.env, "PIPELINE_URL");
    base.allow_older = str(ctx.with, "allow_older") == "true";
    base.freeze_override = str(ctx.with, "freeze_override").value_or("");
    base.ancestry = [&ctx](const std::string& a, const std::string& b) {
      return git_is_ancestor(ctx.processes, ctx.env, ctx.working_dir, a, b);
    };
    auto resolver = promote::make_registry_resolver();
    promote::SshKeygen signatures(ctx.processes, ctx.env);
    promote::Promoter promoter(session.repo, session.pp.policy, *resolver, signatures, promote::now_utc());
    promote::Release release(session.repo, session.pp.policy, promoter);
    promote::ReleasePlan plan = release.plan(options);
    print_lines(ctx, plan.describe());
    std::vector<std::string> names;
    for (const auto& p : plan.apps) names.push_back(p.options.app);
    ctx.outputs["app"] = join(names, ",");
    ctx.outputs["from"] = plan.from;
    ctx.outputs["to"] = plan.to;
    ctx.outputs["promoter"] = base.promoter;
    ctx.outputs["allowed"] = plan.allowed() ? "true" : "false";
    ctx.outputs["commit"] = "";
    ctx.outputs["changed"] = "false";
    ctx.outputs["release"] = "true";
    ctx.outputs["merge_request"] = "";
    ctx.outputs["objects"] = "";
    ctx.outputs["rendered"] = "";
    if (plan_only) return;
    ctx.outputs["commit"] = release.apply(plan, session.repo.bump_env());
    ctx.outputs["changed"] = plan.changes ? "true" : "false";
    if (plan.apps.empty()) return;
    ctx.print("pushed " + ctx.outputs["commit"].substr(0, 12) + " to branch " + plan.branch, OutputStream::out);
    for (const auto& p : plan.apps)
      if (p.changes) notify_policy_hooks(ctx, session.pp.policy, p.notice(), post_hooks_);
  }

  // `via: merge_request` (steps/gate/merge_request.hpp): push to the proposal branch, open or update the request,
  // set hoist/gate; with `merge: true` merge it when the gate allows (GateRefused otherwise). True when it merged.
  static bool propose(StepContext& ctx, promote::ManifestRepo& repo, const promote::Environment& target,
                      promote::Promoter& promoter, const promote::PromotionPlan& plan) {
    promote::ForgeAccess access;
    access.repo_url = repo.display();
    access.token = str(ctx.with, "forge_token").value_or("");
    access.http.env = ctx.env;
    auto forge = promote::open_forge(target, access);
    promote::Proposal p = promote::propose(promoter, plan, repo.bump_env(), *forge);
    ctx.outputs["commit"] = p.commit;
    ctx.outputs["merge_request"] = p.request.url;
    ctx.print(std::string(p.created ? "opened " : "updated ") + forge->name() + " merge request " + p.request.url +
                  " from " + p.branch + "; " + promote::kGateContext + ": " +
                  (plan.verdict.allowed ? "success" : "failure"),
              OutputStream::out);
    if (str(ctx.with, "merge") != "true") return false;
    ctx.outputs["commit"] = promote::merge_proposal(plan, p, *forge);
    ctx.outputs["changed"] = "true";
    ctx.print("merged " + p.request.url + " as " + ctx.outputs["commit"].substr(0, 12), OutputStream::out);
    return true;
  }

  PostPromotionHooks post_hooks_;
};

class ApproveStep : public StepKind {
 public:
  std::string name() const override { return "approve"; }
  void validate(const Step& step, const std::string& file, Diagnostics& diags) const override {
    check_with(step, file, diags, "approve", {"env", "comment", "sign_key", "apps"}, {"env", "repo"});
    check_app_or_apps(step, file, diags, "approve");
    const YAML::Node& with = step.with;
    if (with && with.IsMap() && with["apps"] && with["digest"])
      diags.add(location_of(with["digest"], file), "'digest' names one app's digest: it cannot be given with 'apps'");
  }
  OutputSpec outputs() const override { return {{"ref", "digest", "apps"}, false}; }
  void plan(StepContext& ctx) const override { run(ctx, true); }
  void apply(StepContext& ctx) const override { run(ctx, false); }

 private:
  void run(StepContext& ctx, bool plan_only) const {
    Session session(ctx, plan_only);
    promote::ManifestRepo& repo = session.repo;
    const promote::ProductionPolicy& pp = session.pp;
    ctx.outputs["apps"] = "";
    if (ctx.with["apps"]) return run_set(ctx, session, plan_only);
    promote::ApprovalInput input;
    input.app = str(ctx.with, "app").value_or("");
    input.env = str(ctx.with, "env").value_or("");
    input.digest = str(ctx.with, "digest");
    input.approver = session.identity;
    input.time = promote::now_utc();
    input.pipeline_url = env_or(ctx.env, "PIPELINE_URL");
    input.comment = str(ctx.with, "comment").value_or("");
    auto resolver = promote::make_registry_resolver();
    promote::ApprovalRecord record = promote::new_approval(repo, pp.policy, input, *resolver);
    ctx.outputs["digest"] = record.digest;
    ctx.outputs["ref"] = "";
    for (const auto& w : promote::approval_warnings(repo, pp.policy, record)) ctx.print("warning: " + w, OutputStream::err);
    print_lines(ctx, (plan_only ? "would record:\n" : "recording:\n") + promote::canonical_text(record));
    if (plan_only) return;
    if (auto key = str(ctx.with, "sign_key")) {
      promote::SshKeygen keygen(ctx.processes, ctx.env);
      record.signature = keygen.sign(promote::canonical_text(record), *key);
    }
    ctx.outputs["ref"] = repo.add_approval(record, session.author);
    ctx.print("approved as " + record.approver + ": " + ctx.outputs["ref"], OutputStream::out);
  }

  // `apps: [a, b]` or `apps: all`: one approval over the set of app -> digest that `env`'s `after` runs now
  // (steps/gate/approval_set.hpp), as `hoist approve --env ENV APP...|--all`.
  static void run_set(StepContext& ctx, Session& session, bool plan_only) {
    promote::ApprovalSetInput input;
    read_apps(ctx, input.apps, input.all);
    input.env = str(ctx.with, "env").value_or("");
    input.approver = session.identity;
    input.time = promote::now_utc();
    input.pipeline_url = env_or(ctx.env, "PIPELINE_URL");
    input.comment = str(ctx.with, "comment").value_or("");
    auto resolver = promote::make_registry_resolver();
    promote::ApprovalSet set = promote::new_approval_set(session.repo, session.pp.policy, input, *resolver);
    std::vector<std::string> names;
    for (const auto& [app, _] : set.apps) names.push_back(app);
    ctx.outputs["apps"] = join(names, ",");
    ctx.outputs["digest"] = "";
    ctx.outputs["ref"] = "";
    for (const auto& [app, _] : set.apps)
      for (const auto& w : promote::approval_warnings(session.repo, session.pp.policy, promote::record_for(set, app)))
        ctx.print("warning: " + app + ": " + w, OutputStream::err);
    const std::string text = promote::canonical_set_text(set);
    print_lines(ctx, (plan_only ? "would record:\n" : "recording:\n") + text);
    if (plan_only) return;
    if (auto key = str(ctx.with, "sign_key")) {
      promote::SshKeygen keygen(ctx.processes, ctx.env);
      set.signature = keygen.sign(text, *key);
    }
    ctx.outputs["ref"] = join(session.repo.add_approval_set(set, session.author), ",");
    ctx.print("approved a release of " + std::to_string(set.apps.size()) + " apps into " + set.environment + " as " +
                  set.approver + (set.signature ? " (signed)" : ""),
              OutputStream::out);
  }
};

}  // namespace

std::optional<PromotionNotice> promotion_notice(const StepResult& r) {
  if (r.kind != "promote" || r.status != StepStatus::succeeded || output_of(r, "changed") != "true") return std::nullopt;
  if (output_of(r, "release") == "true") return std::nullopt;  // a release notified the policy's hooks per app
  PromotionNotice n;
  n.app = output_of(r, "app");
  n.from = output_of(r, "from");
  n.to = output_of(r, "to");
  n.tag = output_of(r, "tag");
  n.digest = output_of(r, "digest");
  n.who = output_of(r, "promoter");
  std::istringstream approvers(output_of(r, "approvers"));
  for (std::string a; std::getline(approvers, a, ',');)
    if (!a.empty()) n.approvers.push_back(a);
  n.change = output_of(r, "change");
  return n;
}

std::unique_ptr<StepKind> make_promote_step(PostPromotionHooks post_hooks) {
  return std::make_unique<PromoteStep>(std::move(post_hooks));
}
std::unique_ptr<StepKind> make_approve_step() { return std::make_unique<ApproveStep>(); }

}  // namespace hoist
