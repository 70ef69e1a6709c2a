// See merge_request.hpp.

#include "steps/gate/merge_request.hpp"

#include <sstream>

#include "runner/util/errors.hpp"
#include "steps/forge/forge_address.hpp"
#include "steps/forge/make_forge.hpp"
#include "steps/gate/manifest_repo.hpp"

namespace hoist::promote {
namespace {

// "api-gateway: promote 1.1.0 (sha256:0123456789ab) from staging to prod", or for a rollback
// "api-gateway: roll back prod from 1.1.0 to 1.0.0 (sha256:0123456789ab)".
std::string title_of(const PromotionPlan& p) {
  if (p.options.rollback)
    return p.options.app + ": roll back " + p.target.env + " from " + p.target.tag.value_or("?") + " to " + p.tag +
           " (" + short_digest(p.digest) + ")";
  return p.options.app + ": promote " + p.tag + " (" + short_digest(p.digest) + ") from " + p.source.env + " to " +
         p.target.env;
}

std::string fenced(const std::string& lang, const std::string& text) {
  return "```" + lang + "\n" + text + (text.empty() || text.back() == '\n' ? "" : "\n") + "```\n";
}

}  // namespace

std::string proposal_branch(const std::string& app, const std::string& env, const std::string& digest) {
  const auto colon = digest.find(':');
  return "hoist/promote/" + app + "/" + env + "/" + digest.substr(colon == std::string::npos ? 0 : colon + 1, 12);
}

std::unique_ptr<forge::Forge> open_forge(const Environment& env, const ForgeAccess& access) {
  auto kind = forge::parse_forge_kind(env.forge);
  if (!env.via_merge_request || !kind)
    throw InputError("environment '" + env.name + "' is not promoted by merge request (via: merge_request, forge: ...)");
  return forge::make_forge(forge::forge_address(*kind, access.repo_url, env.forge_url), access.token, access.http);
}

std::string proposal_description(const PromotionPlan& p) {
  std::ostringstream out;
  if (p.options.rollback)
    out << "Hoist rolls **" << p.options.app << "** in **" << p.target.env << "** back to `" << p.tag << "` (`"
        << p.digest << "`), which it ran before, from `" << p.target.tag.value_or("?") << "` (`"
        << p.target.digest.value_or("digest unknown") << "`) (`" << p.target.file << "` on branch `"
        << p.target.branch << "`).\n\n";
  else
    out << "Hoist promotes **" << p.options.app << "** `" << p.tag << "` (`" << p.digest << "`) from **"
        << p.source.env << "** to **" << p.target.env << "** (`" << p.target.file << "` on branch `"
        << p.target.branch << "`).\n\n";
  out << "### Registry\n\n";
  if (p.copy)
    out << "- copy `" << p.from_image << "@" << p.digest << "` to `" << p.to_image << ":" << p.tag << "`\n\n";
  else
    out << "- none: " << p.target.env << " pulls `" << p.to_image << "`, where the image already is\n\n";
  out << "### Gate of " << p.target.env << ": " << (p.verdict.allowed ? "allowed" : "refused") << "\n\n";
  for (const auto& r : p.verdict.rules)
    out << "- " << (r.passed ? "ok" : "**FAIL**") << " " << r.name << ": " << r.message << "\n";
  for (const auto& r : p.verdict.records)
    out << "- approval by " << r.record.approver << ": " << r.reason << "\n";
  out << "- approved by: ";
  if (p.verdict.approved_by.empty()) out << "nobody yet";
  for (size_t i = 0; i < p.verdict.approved_by.size(); ++i) out << (i ? ", " : "") << p.verdict.approved_by[i];
  out << "\n\n### Values\n\n" << fenced("diff", p.diff);
  if (!p.objects.empty() || !p.rendered.empty())
    out << "\n### Rendered: " << (p.objects.empty() ? "objects" : p.objects) << "\n\n" << fenced("", p.rendered);
  out << "\nThe `" << kGateContext << "` status is Hoist's gate. Approve with `hoist approve " << p.options.app
      << " --env " << p.target.env << " --digest " << p.digest << "`; merge with `";
  if (p.options.rollback)
    out << "hoist rollback " << p.options.app << " --env " << p.target.env << " --digest " << p.digest;
  else
    out << "hoist promote " << p.options.app << " --from " << p.source.env << " --to " << p.target.env;
  out << " --merge` once it allows.\n";
  return out.str();
}

forge::CommitStatus gate_status(const GateVerdict& v, const std::string& url) {
  forge::CommitStatus s;
  s.context = kGateContext;
  s.target_url = url;
  if (v.allowed) {
    s.state = forge::StatusState::success;
    s.description = "allowed";
    if (!v.approved_by.empty()) {
      s.description += ", approved by ";
      for (size_t i = 0; i < v.approved_by.size(); ++i) s.description += (i ? ", " : "") + v.approved_by[i];
    }
    return s;
  }
  s.state = forge::StatusState::failure;
  s.description = "refused:";
  for (const auto& r : v.rules)
    if (!r.passed) s.description += " " + r.name + " (" + r.message + ")";
  return s;
}

Proposal propose(Promoter& promoter, const PromotionPlan& p, const BumpEnv& env, forge::Forge& forge) {
  if (!p.changes)
    throw InputError(p.target.env + " already runs " + short_digest(p.digest) + ": no merge request to open");
  Proposal out;
  out.branch = proposal_branch(p.options.app, p.target.env, p.digest);
  out.commit = promoter.apply(p, env, out.branch);
  out.request = forge::open_or_update(forge, {out.branch, p.target.branch, title_of(p), proposal_description(p)},
                                      &out.created);
  forge.set_status(out.commit, gate_status(p.verdict, out.request.url));
  return out;
}

PromotionPlan plan_of_proposal(Promoter& promoter, ManifestRepo& repo, PromoteOptions options) {
  PromotionPlan plan = promoter.plan(options);
  const std::string branch = proposal_branch(options.app, plan.target.env, plan.digest);
  std::vector<CommitInfo> history;
  try {
    history = repo.history(branch, plan.target.file);
  } catch (const Error&) {
    return plan;  // no proposal yet: refresh_status says so
  }
  if (history.empty()) return plan;
  // The proposal as it was made: by whom, and whether it rolls back (then its title and gate are a rollback's).
  auto proposer = history.front().trailer("Hoist-Promoted-By");
  const bool rollback = history.front().trailer("Hoist-Rollback-From").has_value();
  if ((!proposer || *proposer == options.promoter) && rollback == options.rollback) return plan;
  if (proposer) options.promoter = *proposer;
  options.digest = plan.digest;
  options.rollback = rollback;
  return promoter.plan(options);
}

std::string proposal_problem(Promoter& promoter, ManifestRepo& repo, const PromotionPlan& p, const std::string& head) {
  const std::string& file = p.target.file;
  const CommitChange change = repo.change_of(head);
  if (change.parents.size() != 1) return "it has " + std::to_string(change.parents.size()) + " parents, not one";
  const std::string& parent = change.parents[0];
  if (!repo.in_history(parent, repo.tip(p.target.branch)))
    return "its parent " + parent.substr(0, 12) + " is not in the history of branch " + p.target.branch;
  if (change.paths != std::vector<std::string>{file}) {
    std::string paths;
    for (const auto& path : change.paths) paths += (paths.empty() ? "" : ", ") + path;
    return "it changes " + (paths.empty() ? std::string("nothing") : paths) + ", not only " + file;
  }
  FileSnapshot snap;
  snap.commit = parent;
  snap.files[file] = repo.read(parent, file);
  std::string expected;
  try {
    expected = promoter.edit_target(p, snap);
  } catch (const Error& e) {
    return std::string("the promotion does not apply on its parent: ") + e.what();
  }
  if (repo.read(head, file) != expected) return file + " is not what the promotion of " + short_digest(p.digest) + " writes";
  // The trailers that speak for the file (the head changes it, so it is the newest commit of its history).
  const auto history = repo.history(proposal_branch(p.options.app, p.target.env, p.digest), file);
  if (history.empty() || history.front().id != head || history.front().trailer("Hoist-Image-Digest") != p.digest)
    return "its Hoist-Image-Digest is not " + short_digest(p.digest);
  return "";
}

Refreshed refresh_status(Promoter& promoter, ManifestRepo& repo, const PromotionPlan& p, forge::Forge& forge) {
  const std::string branch = proposal_branch(p.options.app, p.target.env, p.digest);
  std::string head;
  try {
    head = repo.tip(branch);
  } catch (const Error&) {
    throw Error("no merge request branch " + branch + " for " + p.options.app + " " + short_digest(p.digest) +
                " into " + p.target.env + ": run hoist promote first");
  }
  Refreshed out;
  out.request = forge.find_open(branch, p.target.branch);
  if (out.request)
    out.request = forge.update(out.request->id, {branch, p.target.branch, title_of(p), proposal_description(p)});
  const std::string url = out.request ? out.request->url : "";
  if (const std::string why = proposal_problem(promoter, repo, p, head); !why.empty())
    out.problem = "the head of " + branch + " (" + head.substr(0, 12) + ") is not the commit Hoist proposed: " + why;
  forge::CommitStatus status = gate_status(p.verdict, url);
  if (!out.problem.empty()) {
    status.state = forge::StatusState::failure;
    status.description = "refused: " + out.problem;
  }
  forge.set_status(head, status);
  return out;
}

std::string merge_proposal(const PromotionPlan& p, const Proposal& proposal, forge::Forge& forge) {
  require_allowed(p.verdict, p.request);
  return forge.merge(proposal.request.id, proposal.commit, promotion_message(p));
}

}  // namespace hoist::promote
