#include "steps/manifest/bump_step.hpp"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "runner/util/errors.hpp"
#include "runner/process/process.hpp"
#include "steps/git/bump_transaction.hpp"
#include "steps/git/commit_files.hpp"
#include "steps/git/git_identity.hpp"
#include "steps/git/trailers.hpp"
#include "steps/render/step_output.hpp"
#include "steps/manifest/gated_files.hpp"
#include "steps/manifest/older_bump.hpp"
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

// Edits every file of the spec on one snapshot; refuses to write a gated environment's files (by the policy of
// that snapshot) and to overwrite a value someone else changed since the bump started ("superseded"), so an older
// build never replaces a newer one.
class Editor {
 public:
  Editor(const BumpSpec& spec, std::string step_id) : spec_(spec), step_id_(std::move(step_id)) {}

  std::map<std::string, std::string> operator()(const FileSnapshot& snap) {
    refuse_gated_bump(spec_, step_id_, snap.policy);
    std::map<std::string, std::string> out;
    changes_.clear();
    for (const auto& fe : spec_.files) {
      const auto& content = snap.files.at(fe.file);
      if (!content) throw InputError(fe.file + ": no such file on branch '" + spec_.branch + "' (at " + snap.commit.substr(0, 12) + ")");
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
  std::string step_id_;
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

// The trailers of a bump's commit. One changed file: they all speak for it. Several: the commit-wide ones (source
// commit, pipeline, actors), then one group per changed file, "Hoist-File: PATH" and that file's digest (its
// `edits:` entry's, else the step's), as trailers_for_file() reads them back.
Trailers bump_trailers(const BumpSpec& spec, const Editor& editor, const std::map<std::string, std::string>& env,
                       const std::vector<std::string>& builders) {
  std::vector<const FileEdits*> changed;
  for (const auto& fe : spec.files)
    for (const auto& c : editor.changes())
      if (c.file == fe.file) {
        changed.push_back(&fe);
        break;
      }
  Trailers trailers;
  if (changed.size() <= 1) {
    const std::optional<std::string>& own = changed.empty() ? std::nullopt : changed.front()->digest;
    trailers.push_back({"Hoist-Image-Digest", own.value_or(spec.digest.value_or(""))});
  }
  trailers.push_back({"Hoist-Source-Commit", env_or(env, "COMMIT_SHA")});
  trailers.push_back({"Hoist-Pipeline", env_or(env, "PIPELINE_URL")});
  for (const auto& b : builders) trailers.push_back({"Hoist-Actor", b});
  if (changed.size() > 1)
    for (const FileEdits* fe : changed) {
      trailers.push_back({"Hoist-File", normalize_repo_path(fe->file)});
      trailers.push_back({"Hoist-Image-Digest", fe->digest.value_or(spec.digest.value_or(""))});
    }
  return trailers;
}

// Outputs per file of the bump, N = 1, 2, ... in the order given: file_N, changed_N (whether the commit changed
// it), old_N and new_N (its first change); `file`, `old` and `new` are the first file's; `files` all of them as a
// JSON list of {file, changed, old, new}. `changed` says whether anything was committed.
void set_file_outputs(StepContext& ctx, const BumpSpec& spec, const Editor& editor) {
  nlohmann::json all = nlohmann::json::array();
  for (std::size_t i = 0; i < spec.files.size(); ++i) {
    const std::string& file = spec.files[i].file;
    const yamledit::Change* first = nullptr;
    for (const auto& c : editor.changes())
      if (c.file == file) {
        first = &c.change;
        break;
      }
    const std::string n = "_" + std::to_string(i + 1);
    ctx.outputs["file" + n] = file;
    ctx.outputs["changed" + n] = first ? "true" : "false";
    ctx.outputs["old" + n] = first ? first->old_value : "";
    ctx.outputs["new" + n] = first ? first->new_value : "";
    if (i == 0)
      for (const char* key : {"file", "old", "new"}) ctx.outputs[key] = ctx.outputs[key + n];
    all.push_back({{"file", file}, {"changed", first != nullptr}, {"old", ctx.outputs["old" + n]},
                   {"new", ctx.outputs["new" + n]}});
  }
  ctx.outputs["files"] = all.dump();
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

  OutputSpec outputs() const override {
    return {{"commit", "changed", "file", "old", "new", "file_N", "changed_N", "old_N", "new_N", "files", "objects",
             "rendered"},
            false};
  }

  void plan(StepContext& ctx) const override { bump(ctx, true); }
  void apply(StepContext& ctx) const override { bump(ctx, false); }

 private:
  void bump(StepContext& ctx, bool plan) const {
    BumpSpec spec = resolved_spec(ctx);
    if (spec.message) refuse_hoist_trailers(ctx, *spec.message);
    // A key that cannot sign fails here, before anything is fetched or pushed; each round's commit is signed.
    CommitSigner sign = plan ? CommitSigner() : ready_commit_signer({spec.signing_key, spec.signing_format},
                                                                    ctx.processes, ctx.env);
    bool older = false;  // set on each attempt, against the tip that attempt builds on
    BumpRequest request = request_for(spec, plan);
    request.sign = sign;
    request.policy_file = kPolicyFile;
    Editor editor(spec, ctx.step.id);
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
      Trailers trailers = bump_trailers(spec, editor, ctx.env, builders);
      auto at = std::find_if(trailers.begin(), trailers.end(), [](const auto& t) { return t.first == "Hoist-Source-Commit"; });
      if (at != trailers.end()) ++at;
      trailers.insert(at, {{"Hoist-Build-Number", promote::build_number_of(env_or(ctx.env, "PIPELINE_ID"))},
                           {"Hoist-Allow-Older", older ? "true" : ""}});
      return append_trailers(message, trailers);
    };
    rendering::RenderPreview preview(env);  // the objects the edit changes (steps/render); refuses a breaking edit
    request.inspect = [&, render = preview.hook()](git_repository* repo, const std::string& tip,
                                                  const std::map<std::string, std::string>& changes) {
      older = check_older_bump(repo, tip, spec, ctx);
      render(repo, tip, changes);
    };
    BumpResult result = run_bump(request, edit, env);
    report(ctx, spec, result, editor, plan);
    rendering::report_preview(ctx, preview);
  }

  static void report(StepContext& ctx, const BumpSpec& spec, const BumpResult& result, const Editor& editor, bool plan) {
    ctx.outputs["changed"] = result.changed ? "true" : "false";
    ctx.outputs["commit"] = result.commit;
    set_file_outputs(ctx, spec, editor);
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
