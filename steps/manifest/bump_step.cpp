#include "steps/manifest/bump_step.hpp"

#include <sstream>

#include "runner/util/errors.hpp"
#include "runner/process/process.hpp"
#include "steps/git/bump_transaction.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/git/trailers.hpp"
#include "steps/render/step_output.hpp"
#include "steps/manifest/gated_files.hpp"
#include "steps/gate/identity.hpp"
#include "steps/signing/commit_signer.hpp"

namespace hoist {
namespace {

std::string env_or(const std::map<std::string, std::string>& env, const std::string& key, const std::string& fallback = "") {
  auto it = env.find(key);
  return it == env.end() || it->second.empty() ? fallback : it->second;
}

// The service a file belongs to: its first directory ("api-gateway/qa.values.yaml" → "api-gateway").
std::string app_of(const std::string& file) {
  auto slash = file.find('/');
  return slash == std::string::npos ? file : file.substr(0, slash);
}

// Edits every file of the spec on one snapshot; refuses to overwrite a value someone else changed since the bump
// started ("superseded"), so an older build never replaces a newer one.
class Editor {
 public:
  explicit Editor(const BumpSpec& spec, std::string branch) : spec_(spec), branch_(std::move(branch)) {}

  std::map<std::string, std::string> operator()(const FileSnapshot& snap) {
    std::map<std::string, std::string> out;
    changes_.clear();
    for (const auto& fe : spec_.files) {
      const auto& content = snap.files.at(fe.file);
      if (!content) throw InputError(fe.file + ": no such file on branch '" + branch_ + "' (at " + snap.commit.substr(0, 12) + ")");
      yamledit::EditResult now = yamledit::apply_edits(*content, fe.edits, fe.file);
      if (snap.attempt > 1) check_not_superseded(fe, now, snap);
      for (const auto& c : now.changes) changes_.push_back({fe.file, c});
      if (!now.changes.empty()) out[fe.file] = now.text;
    }
    return out;
  }

  struct FileChange {
    std::string file;
    yamledit::Change change;
  };
  const std::vector<FileChange>& changes() const { return changes_; }

 private:
  void check_not_superseded(const FileEdits& fe, const yamledit::EditResult& now, const FileSnapshot& snap) {
    const auto& before = snap.first.at(fe.file);
    if (!before) return;
    yamledit::EditResult first = yamledit::apply_edits(*before, fe.edits, fe.file);
    for (const auto& c : now.changes) {
      std::string was;  // the value when this bump started: the old value of the first attempt's matching change,
      bool found = false;  // or (no change then) the value we are setting
      for (const auto& f : first.changes)
        if (f.path == c.path) was = f.old_value, found = true;
      if (!found) was = c.new_value;
      if (c.old_value != was)
        throw Error("superseded by " + snap.commit.substr(0, 12) + ": " + fe.file + " " + c.path + " is now '" +
                    c.old_value + "' (it was '" + was + "' when this bump started); not overwriting it with '" +
                    c.new_value + "'");
    }
  }

  const BumpSpec& spec_;
  std::string branch_;
  std::vector<FileChange> changes_;
};

std::string default_message(const std::vector<Editor::FileChange>& changes, const std::map<std::string, std::string>& env) {
  std::ostringstream m;
  const auto& first = changes.front();
  m << app_of(first.file) << ": " << (first.change.old_value.empty() ? "(new)" : first.change.old_value) << " → "
    << first.change.new_value;
  if (changes.size() > 1) m << " (+" << changes.size() - 1 << " more)";
  m << "\n\n";
  for (const auto& c : changes) {
    m << c.file << ": " << c.change.path << " " << c.change.old_value << " → " << c.change.new_value;
    for (size_t i = 0; i < c.change.also.size(); ++i)  // an anchored value: every alias of it changed too
      m << (i == 0 ? " (also " : ", ") << c.change.also[i] << (i + 1 == c.change.also.size() ? ")" : "");
    m << "\n";
  }
  if (auto url = env_or(env, "PIPELINE_URL"); !url.empty()) m << "\n" << url << "\n";
  return m.str();
}

BumpSpec resolved_spec(const StepContext& ctx) {
  Diagnostics d;
  BumpSpec spec = read_bump_spec(ctx.with, ctx.step.loc.file, d);
  throw_first_problem(ctx, d);
  return spec;
}

// A `message:` may not write Hoist's own trailers: who built a digest and where it came from are Hoist's to record.
void refuse_hoist_trailers(const StepContext& ctx, const std::string& message) {
  std::size_t start = 0;
  while (start < message.size()) {
    std::size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    const std::string line = message.substr(start, end - start);
    if (line.rfind("Hoist-", 0) == 0 && line.find(':') != std::string::npos)
      throw InputError("step '" + ctx.step.id + "': 'message' must not write Hoist's own trailers (" +
                       line.substr(0, line.find(':') + 1) + "), which Hoist alone records");
    start = end + 1;
  }
}

BumpRequest request_for(const BumpSpec& spec, bool plan) {
  BumpRequest r;
  r.repo = spec.repo;
  r.branch = spec.branch;
  for (const auto& fe : spec.files) r.files.push_back(fe.file);
  if (spec.username) r.creds.username = spec.username;
  if (spec.password) r.creds.password = spec.password;
  if (spec.ssh_key) r.creds.ssh_key = spec.ssh_key;
  auto [name, email] = spec.author ? parse_author(*spec.author) : default_author(current_environment());
  r.author = Signature{name, email, std::nullopt, 0};
  r.committer = r.author;
  r.cache_dir = spec.cache_dir;
  r.ca_file = spec.ca_file;
  r.timeout = spec.timeout;
  r.plan = plan;
  return r;
}

class ManifestBumpStep : public StepKind {
 public:
  std::string name() const override { return "manifest/bump"; }

  void validate(const Step& step, const std::string& file, Diagnostics& diags) const override {
    if (!step.with || step.with.IsNull()) {  // at the step: an absent `with` has no place of its own
      diags.add(step.loc, "manifest/bump needs 'with' (repo, branch, file and an edit)");
      return;
    }
    read_bump_spec(step.with, file, diags);
  }

  OutputSpec outputs() const override { return {{"commit", "changed", "old", "new", "objects", "rendered"}, false}; }

  void plan(StepContext& ctx) const override { bump(ctx, true); }
  void apply(StepContext& ctx) const override { bump(ctx, false); }

 private:
  void bump(StepContext& ctx, bool plan) const {
    BumpSpec spec = resolved_spec(ctx);
    if (spec.message) refuse_hoist_trailers(ctx, *spec.message);
    // A key that cannot sign fails here, before anything is fetched or pushed; each round's commit is signed.
    CommitSigner sign = plan ? CommitSigner() : ready_commit_signer({spec.signing_key, spec.signing_format},
                                                                    ctx.processes, ctx.env);
    refuse_gated_bump(spec, ctx);
    BumpRequest request = request_for(spec, plan);
    request.sign = sign;
    Editor editor(spec, spec.branch);
    EditFn edit = [&](const FileSnapshot& snap) { return editor(snap); };
    BumpEnv env;
    env.env = ctx.env;
    env.processes = &ctx.processes;
    env.cancel = &ctx.cancel;
    env.log = [&](std::string_view line) { ctx.print(line, OutputStream::err); };
    // The message names what changed, so it is made after each attempt's edit.
    // Hoist-Actor names who built this: the CI job's own identity from the process environment, which neither the
    // step's `env`, ACTOR, `author:` nor `message:` changes (a builder cannot hide from self_approval: false).
    const std::vector<std::string> builders = builder_identities();
    request.message_fn = [&] {
      std::string message = spec.message ? *spec.message : default_message(editor.changes(), ctx.env);
      Trailers trailers = {{"Hoist-Image-Digest", spec.digest.value_or("")},
                           {"Hoist-Source-Commit", env_or(ctx.env, "COMMIT_SHA")},
                           {"Hoist-Pipeline", env_or(ctx.env, "PIPELINE_URL")}};
      for (const auto& b : builders) trailers.push_back({"Hoist-Actor", b});
      return append_trailers(message, trailers);
    };
    rendering::RenderPreview preview(env);  // the objects the edit changes (steps/render); refuses a breaking edit
    request.inspect = preview.hook();
    BumpResult result = run_bump(request, edit, env);
    report(ctx, spec, result, editor, plan);
    rendering::report_preview(ctx, preview);
  }

  static void report(StepContext& ctx, const BumpSpec& spec, const BumpResult& result, const Editor& editor, bool plan) {
    ctx.outputs["changed"] = result.changed ? "true" : "false";
    ctx.outputs["commit"] = result.commit;
    if (!editor.changes().empty()) {
      ctx.outputs["old"] = editor.changes().front().change.old_value;
      ctx.outputs["new"] = editor.changes().front().change.new_value;
    }
    if (!result.changed) {
      ctx.print("nothing to change on " + spec.branch + ": every value already set", OutputStream::out);
      return;
    }
    if (plan) ctx.print("would commit to branch '" + spec.branch + "' of " + spec.repo + ":", OutputStream::out);
    for (const auto& [path, diff] : result.diffs) {
      std::istringstream lines(diff);
      for (std::string line; std::getline(lines, line);) ctx.print(line, OutputStream::out);
    }
    if (!plan)
      ctx.print("pushed " + result.commit.substr(0, 12) + " to " + spec.branch +
                    (result.attempts > 1 ? " after " + std::to_string(result.attempts) + " attempts" : ""),
                OutputStream::out);
  }
};

}  // namespace

std::pair<std::string, std::string> parse_author(const std::string& author) {
  auto lt = author.find('<');
  if (lt == std::string::npos || lt == 0 || author.back() != '>')
    throw InputError("author must look like 'Name <email>', got '" + author + "'");
  std::string name = author.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return {name, author.substr(lt + 1, author.size() - lt - 2)};
}

std::vector<std::string> builder_identities() {
  return promote::builder_identities(current_environment(), [] { return git_user_identity(); });
}

std::pair<std::string, std::string> default_author(const std::map<std::string, std::string>& env) {
  auto ci = promote::ci_identity(env);
  if (!ci || ci->people.empty()) return {"Hoist", "hoist@localhost"};
  return promote::commit_author(ci->people.front(), env);
}

std::unique_ptr<StepKind> make_manifest_bump_step() { return std::make_unique<ManifestBumpStep>(); }

}  // namespace hoist
