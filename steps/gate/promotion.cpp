// See promotion.hpp.

#include "steps/gate/promotion.hpp"

#include <set>
#include <sstream>

#include "runner/util/errors.hpp"
#include "steps/git/trailers.hpp"
#include "steps/gate/env_builds.hpp"
#include "steps/gate/known_apps.hpp"
#include "steps/gate/lineage.hpp"
#include "steps/gate/soak.hpp"
#include "steps/render/preview.hpp"
#include "steps/gate/written_values.hpp"
#include "steps/yamledit/yamledit.hpp"

namespace hoist::promote {
namespace {

// TEXT as it is unless it holds control characters (then escaped and shortened by printable).
std::string whole(const std::string& text) { return has_control_chars(text) ? printable(text) : text; }

std::string or_dash(const std::optional<std::string>& v) { return v ? printable(*v) : "-"; }

std::string describe_env(const char* label, const EnvImage& e) {
  return std::string("  ") + label + e.env + " (branch " + e.branch + ", " + e.file + "): tag " + or_dash(e.tag) +
         ", digest " + (e.digest ? *e.digest : "unknown" + (e.digest_error.empty() ? "" : " (" + e.digest_error + ")")) +
         "\n";
}

// The edits that make every place of the app's image in CONTENT say TAG (and DIGEST where it can be recorded).
// Refuses (exit 2) a file whose places are missing or disagree: moving some of them would leave the others behind.
// When the image is copied for the target, the places that name a repository name the copy's.
std::vector<yamledit::Edit> target_edits(const Policy& policy, const PromotionPlan& p, const std::string& content) {
  ImagePlaces places = find_image_places(content, p.target.file, policy.shape_for(p.options.app));
  if (std::string problem = places.problem(); !problem.empty()) throw InputError(problem);
  return places.edits(p.tag, p.digest, p.copy ? p.to_image : "");
}

// The path of the place that says the tag ("image.tag"), for messages.
std::string tag_place(const EnvImage& e) {
  for (const auto& p : e.places.places)
    if (p.tag) return p.path;
  return "the tag";
}

// The "tag" rule: the tag written is an OCI tag, names the promoted digest in the registry now (so the target, when
// it runs by tag, runs the approved image), and a target with `pin: digest` can record the digest.
GateRule tag_rule(const Policy& policy, ImageResolver& resolver, const Environment& to, const PromotionPlan& p) {
  const std::string where = p.options.rollback ? to.name + "'s history" : p.source.env + "'s " + p.source.file;
  if (!is_oci_tag(p.tag))
    return {"tag", false,
            tag_place(p.source) + " '" + printable(p.tag) + "' in " + where +
                " is not an OCI tag (letters, digits, '_', '.', '-'; at most 128; no control characters)"};
  const bool records = p.target.places.can_record_digest();
  if (to.pin_digest && !records)
    return {"tag", false,
            to.name + " has 'pin: digest' but " + p.target.file + " on branch " + p.target.branch + " records no " +
                "digest (its places: " + policy.shape_for(p.options.app).describe() + "), so it would run by tag"};
  const std::string ref = p.from_image + ":" + p.tag;
  std::string named;
  try {
    named = resolver.digest_of(ref);
  } catch (const Error& e) {
    return {"tag", false, "cannot check that " + ref + " names " + short_digest(p.digest) + ": " + e.what()};
  }
  if (named != p.digest)
    return {"tag", false,
            ref + " names " + short_digest(named) + " in the registry, not " + short_digest(p.digest) + ": " + to.name +
                " would run an image nobody approved"};
  return {"tag", true,
          ref + " names " + short_digest(p.digest) + " in the registry" +
              (records ? "" : "; " + p.target.file + " records no digest, so " + to.name + " runs by tag")};
}

}  // namespace

std::string PromotionPlan::describe() const {
  std::ostringstream out;
  if (options.rollback)
    out << "rollback " << options.app << " in " << target.env << " to " << short_digest(digest) << " (tag " << printable(tag)
        << ", from commit " << replaces_commit.substr(0, 12) << ")\n";
  else
    out << "promote " << options.app << ": " << source.env << " -> " << target.env << "\n";
  if (!options.rollback) out << describe_env("from  ", source);
  out << describe_env("to    ", target);
  if (!target_error.empty()) {
    out << "  sets  " << target.file << " on branch " << target.branch << ": cannot: " << target_error << "\n";
  } else if (target_changes.empty()) {
    out << "  sets  nothing: " << target.file << " on branch " << target.branch << " already says tag "
        << printable(tag) << (target.places.can_record_digest() ? ", digest " + digest : "") << "\n";
  } else {
    out << "  sets  " << target.file << " on branch " << target.branch << ":\n";
    for (const auto& c : target_changes)
      out << "          " << whole(c.path) << " (line " << c.line << "): "
          << (c.old_value.empty() ? "(none)" : whole(c.old_value)) << " -> " << whole(c.new_value) << "\n";
  }
  if (!target.places.can_record_digest())
    out << "  note  " << target.file << " has no place for a digest: " << target.env << " will run by tag only\n";
  if (copy)
    out << "  copy  " << from_image << "@" << digest << " -> " << to_image << ":" << printable(tag) << "\n";
  else
    out << "  image " << to_image << " (no copy needed)\n";
  out << "gate of " << target.env << ": " << (verdict.allowed ? "allowed" : "REFUSED") << "\n" << verdict.describe();
  out << "  approved by: " << (verdict.approved_by.empty() ? "nobody yet" : "") ;
  for (size_t i = 0; i < verdict.approved_by.size(); ++i) out << (i ? ", " : "") << verdict.approved_by[i];
  out << "\n";
  for (const auto& u : unreadable_approvals) out << "  unreadable approval " << u << "\n";
  if (!diff.empty()) out << diff;
  out << rendered;
  return out.str();
}

std::vector<std::string> find_builders(ManifestRepo& repo_, const Policy& policy_, const std::string& env_name,
                                       const std::string& app, const std::string& digest, const std::string& tag,
                                       bool walk_after) {
  std::set<std::string> people;
  std::set<std::string> seen;
  for (const Environment* env = policy_.find(env_name); env && !seen.count(env->name);
       env = walk_after ? policy_.find(env->after) : nullptr) {
    seen.insert(env->name);
    const std::string file = policy_.file_for(env->name, app);
    std::vector<CommitInfo> history = repo_.history(env->branch, file);
    // A commit brought the image when its digest is the one promoted, or when it set the tag to it.
    std::vector<std::optional<std::string>> tags;
    for (const auto& c : history) {
      auto content = repo_.read(c.id, file);
      tags.push_back(content ? tag_in(policy_, app, *content, file) : std::nullopt);
    }
    for (size_t i = 0; i < history.size(); ++i) {
      const auto& c = history[i];
      const bool set_tag = tags[i] == tag && (i + 1 == history.size() || tags[i + 1] != tag);
      const bool same_digest = digest_at(repo_, policy_, app, c, file) == digest;
      if (!set_tag && !same_digest) continue;
      if (!c.author_name.empty()) people.insert(c.author_name);
      if (!c.author_email.empty()) people.insert(c.author_email);
      for (const char* key : {"Hoist-Actor", "Hoist-Promoted-By"})
        for (const auto& v : c.trailer_values(key)) people.insert(v);
    }
  }
  return {people.begin(), people.end()};
}

PromotionPlan Promoter::prepare(const PromoteOptions& options) {
  PromotionPlan p;
  p.options = options;
  const Environment& to = policy_.environment(options.to);
  std::vector<std::string> envs = {to.name};  // both read below anyway: a known app costs no fetch more
  if (!options.rollback) envs.push_back(policy_.environment(options.from).name);
  require_known_app(repo_, policy_, options.app, envs);
  p.target = read_env_image(repo_, policy_, to.name, options.app, &resolver_);
  if (!p.target.content) throw InputError(p.target.digest_error);
  if (!p.target.problem.empty()) throw InputError(p.target.problem);
  p.to_image = p.target.image;

  PromotionRequest& r = p.request;
  r.app = options.app;
  r.to = to.name;
  r.promoter = options.promoter;
  r.rollback = options.rollback;
  r.freeze_override_reason = options.freeze_override;

  if (options.rollback) {
    // The digests the target ran, newest first; the previous one is the first that differs from what runs now.
    r.from = to.after.empty() ? to.name : to.after;
    p.source = p.target;
    std::vector<CommitInfo> history = repo_.history(to.branch, p.target.file);
    const CommitInfo* chosen = nullptr;
    for (const auto& c : history) {
      auto d = digest_at(repo_, policy_, options.app, c, p.target.file);
      if (!d) continue;
      if (options.digest ? *d == *options.digest : *d != p.target.digest.value_or("")) {
        chosen = &c;
        p.digest = *d;
        break;
      }
    }
    if (!chosen) {
      if (!options.digest)
        throw InputError("no earlier digest in " + to.name + "'s history (branch " + to.branch + ", " +
                         p.target.file + ") to roll back to");
      p.digest = *options.digest;  // refused below by the digest rule
    } else {
      p.replaces_commit = chosen->id;
      auto content = repo_.read(chosen->id, p.target.file);
      if (content) p.tag = tag_in(policy_, options.app, *content, p.target.file).value_or("");
      r.in_target_history = true;
    }
    if (p.tag.empty()) p.tag = p.target.tag.value_or("");
    p.from_image = p.to_image;
    r.digest = p.digest;
    r.running_in_source = p.target.digest;
    r.builders = find_builders(repo_, policy_, to.name, options.app, p.digest, p.tag, false);
  } else {
    const Environment& from = policy_.environment(options.from);
    r.from = from.name;
    p.source = read_env_image(repo_, policy_, from.name, options.app, &resolver_, true);
    if (!p.source.content) throw InputError(p.source.digest_error);
    if (!p.source.problem.empty()) throw InputError(p.source.problem);
    if (!p.source.tag) throw InputError(p.source.digest_error);
    p.tag = *p.source.tag;
    if (options.digest) {
      if (!is_digest(*options.digest)) throw InputError("--digest must be sha256:<64 hex digits>, got '" + *options.digest + "'");
      p.digest = *options.digest;
    } else if (p.source.digest) {
      p.digest = *p.source.digest;
    } else {
      throw Error("cannot tell which digest " + from.name + " runs: " + p.source.digest_error);
    }
    p.from_image = p.source.image;
    p.copy = p.from_image != p.to_image;
    r.digest = p.digest;
    r.running_in_source = p.source.digest;
    r.builders = find_builders(repo_, policy_, from.name, options.app, p.digest, p.tag, true);
    r.lineage = check_lineage(repo_, policy_, options.app, from.name, p.digest, p.tag);
    p.build = build_in(repo_, policy_, from.name, options.app, p.digest);
    NewerInput newer;
    newer.env = to.name;
    newer.ours = p.build;
    if (p.target.digest) newer.running = build_in(repo_, policy_, to.name, options.app, *p.target.digest);
    newer.arrivals = arrivals_in(repo_, policy_, to.name, options.app);
    newer.ancestry = options.ancestry;
    newer.allow_older = options.allow_older;
    NewerVerdict nv = newer_rule(newer);
    r.newer = nv.rule;
    p.older = nv.older;
    if (to.gate.soak.count() > 0) r.soak = soak_rule(repo_, policy_, options.app, from.name, p.digest, p.tag, to, now_);
  }
  r.tag = tag_rule(policy_, resolver_, to, p);
  if (is_oci_tag(p.tag)) {
    // Every place the promotion changes, for the plan (the same edits apply() makes on the then-current file).
    try {
      p.target_changes = yamledit::apply_edits(*p.target.content, target_edits(policy_, p, *p.target.content),
                                               p.target.file).changes;
    } catch (const InputError& e) {
      p.target_error = e.what();
    }
  }

  std::vector<ApprovalRecord> records;
  for (auto& a : repo_.approvals(options.app, to.name, &p.unreadable_approvals)) records.push_back(a.record);
  p.verdict = evaluate_gate(policy_, r, records, now_, signatures_);
  return p;
}

PromotionPlan Promoter::plan(const PromoteOptions& options) {
  PromotionPlan p = prepare(options);
  if (!is_oci_tag(p.tag)) return p;  // refused by the tag rule; not even shown in a diff
  BumpRequest req = repo_.bump_request(p.target.branch, {p.target.file});
  req.plan = true;
  const std::string file = p.target.file;
  rendering::RenderPreview preview(repo_.bump_env());  // the objects the promotion changes (steps/render)
  req.inspect = preview.hook();
  BumpResult result = run_bump(req, [&](const FileSnapshot& snap) {
    const std::string& content = *snap.files.at(file);
    return std::map<std::string, std::string>{
        {file, yamledit::apply_edits(content, target_edits(policy_, p, content),
                                     file).text}};
  }, repo_.bump_env());
  p.rendered = preview.text();
  p.objects = preview.summary();
  if (preview.ran()) p.rendered_json = preview.json_text();
  for (const auto& [_, d] : result.diffs) p.diff += d;
  if (!result.changed) p.diff = "  (" + file + " already runs this: nothing to change)\n";
  p.changes = result.changed;
  p.change = change_of(p);
  return p;
}

std::string Promoter::change_of(const PromotionPlan& p) const {
  std::string change = tag_place(p.target) + ": " + p.target.tag.value_or("(none)") + " -> " + p.tag;
  if (p.target.places.can_record_digest() && p.target.digest.value_or("") != p.digest)
    change += ", digest " + (p.target.digest ? short_digest(*p.target.digest) : "(none)") + " -> " +
              short_digest(p.digest);
  return change;
}

PromotionNotice PromotionPlan::notice() const {
  PromotionNotice n;
  n.app = options.app;
  n.from = options.rollback ? "" : source.env;
  n.to = target.env;
  n.tag = tag;
  n.digest = digest;
  n.who = options.promoter;
  n.approvers = verdict.approved_by;
  n.pipeline_url = options.pipeline_url;
  n.change = change + (objects.empty() ? "" : "; " + objects);
  return n;
}

Trailers promotion_trailers(const PromotionPlan& p) {
  Trailers trailers{{"Hoist-Image-Digest", p.digest}};
  if (p.options.rollback)
    trailers.push_back({"Hoist-Rollback-From", p.target.digest.value_or("")});
  else
    trailers.push_back({"Hoist-Promoted-From", p.source.env});
  if (!p.options.rollback && p.source.last_change)
    trailers.push_back({"Hoist-Promoted-From-Commit", p.source.last_change->id});
  trailers.push_back({"Hoist-Source-Commit", p.build.source_commit});
  trailers.push_back({"Hoist-Build-Number", p.build.build_number});
  if (p.older) trailers.push_back({"Hoist-Allow-Older", "true"});
  if (p.verdict.freeze_overridden) {
    trailers.push_back({"Hoist-Freeze-Override", p.options.freeze_override});
    for (const auto& b : p.verdict.freeze_override_by) trailers.push_back({"Hoist-Freeze-Override-By", b});
  }
  for (const auto& a : p.verdict.approved_by) trailers.push_back({"Hoist-Approved-By", a});
  trailers.push_back({"Hoist-Promoted-By", p.options.promoter});
  trailers.push_back({"Hoist-Pipeline", p.options.pipeline_url});
  return trailers;
}

std::string promotion_message(const PromotionPlan& p) {
  const std::string subject =
      p.options.rollback
          ? p.options.app + ": roll back " + p.target.env + " to " + p.tag + " (" + short_digest(p.digest) + ")"
          : p.options.app + ": promote " + p.tag + " (" + short_digest(p.digest) + ") from " + p.source.env + " to " +
                p.target.env;
  return append_trailers(subject, promotion_trailers(p));
}

namespace {

// The gate's tag rule refused anything else; checked again here, right before writing (it is what keeps a newline
// out of the message's trailer block).
void refuse_unwritable(const PromotionPlan& p) {
  if (!is_oci_tag(p.tag) || has_control_chars(p.options.promoter) || has_control_chars(p.options.freeze_override))
    throw GateRefused("promotion refused: '" + printable(p.tag) + "' / '" + printable(p.options.promoter) + "' / '" +
                      printable(p.options.freeze_override) +
                      "' cannot be written into a values file or a commit message");
}

}  // namespace

void Promoter::check_writable(const PromotionPlan& p) const {
  require_allowed(p.verdict, p.request);
  refuse_unwritable(p);
}

void Promoter::copy_image(const PromotionPlan& p) {
  if (p.copy) resolver_.copy(p.from_image + "@" + p.digest, p.to_image, {p.tag});
}

std::string Promoter::edit_target(const PromotionPlan& p, const FileSnapshot& snap) const {
  const std::string& file = p.target.file;
  const auto& content = snap.files.at(file);
  if (!content) throw InputError(file + ": no such file on branch '" + p.target.branch + "'");
  // Someone else changed the target's tag since the gate looked: their change wins, ours is not pushed.
  const std::string first_tag = p.target.tag.value_or("");
  auto now_tag = tag_in(policy_, p.options.app, *content, file).value_or("");
  if (now_tag != first_tag && now_tag != p.tag)
    throw Error("superseded by " + snap.commit.substr(0, 12) + ": " + file + " " + tag_place(p.target) + " is now '" +
                now_tag + "' (it was '" + first_tag + "' when the gate was checked)");
  return yamledit::apply_edits(*content, target_edits(policy_, p, *content), file)
      .text;
}

std::string Promoter::apply(const PromotionPlan& p, const BumpEnv& env, const std::string& proposal_branch) {
  // By merge request the gate is enforced where the request merges (its hoist/gate status), not here.
  if (proposal_branch.empty())
    check_writable(p);
  else
    refuse_unwritable(p);
  copy_image(p);

  BumpRequest req = repo_.bump_request(p.target.branch, {p.target.file});
  req.push_branch = proposal_branch;
  req.author = Signature{p.options.author_name, p.options.author_email, std::nullopt, 0};
  req.committer = req.author;
  EditFn edit = [&](const FileSnapshot& snap) {
    return std::map<std::string, std::string>{{p.target.file, edit_target(p, snap)}};
  };
  req.message = promotion_message(p);
  rendering::RenderPreview preview(env);  // refuses an edit that breaks the render, before the push
  req.inspect = preview.hook();
  BumpResult result = run_bump(req, edit, env);
  return result.commit;
}

}  // namespace hoist::promote
