// The help table (see help.hpp) and its plain-text rendering for the terminal.
#include "runner/cli/help.hpp"

#include <algorithm>
#include <sstream>

namespace hoist {
namespace {

constexpr size_t kWidth = 100;

const std::vector<OptionHelp> kRunOptions = {
    {"--var", "K=V", "set a variable (repeatable); wins over vars, built-ins and the environment"},
    {"--only", "STEP", "run only this step (repeatable); the other steps are reported as not selected"},
    {"--jobs", "N", "run at most N steps at once (default: the number of cores)"},
    {"--output", "text|json", "progress as text (the default) or one JSON object per line"},
    {"--junit", "FILE", "write a JUnit XML report, one testcase per step"},
    {"--dotenv", "FILE", "write step outputs as STEP_OUTPUT=value lines (GitLab's reports: dotenv)"},
};

// Signing the commits Hoist writes (bump, promote, rollback, approve).
const OptionHelp kSigningKey = {"--signing-key", "KEY",
                                "sign the commit with this key: an SSH key file, or an OpenPGP key id (default "
                                "$HOIST_SIGNING_KEY, else git's user.signingkey when commit.gpgsign is true)"};
const OptionHelp kSigningFormat = {"--signing-format", "openpgp|ssh",
                                   "the signing key's format (default $HOIST_SIGNING_FORMAT, else git's gpg.format, "
                                   "else openpgp)"};

std::vector<OptionHelp> run_options() {
  std::vector<OptionHelp> o = kRunOptions;
  o.insert(o.begin() + 1, {"--plan", "", "resolve everything and change nothing: the same as hoist plan"});
  return o;
}

// Greedy word wrap of one paragraph, every line prefixed by `indent`.
std::string wrap(const std::string& text, const std::string& indent, size_t width = kWidth) {
  std::istringstream words(text);
  std::string out, line, word;
  while (words >> word) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::vector<std::string> paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);) {
    if (l.empty()) {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += (current.empty() ? "" : " ") + l;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

std::string exit_codes_text() {
  std::string out = "Exit codes:\n";
  for (const auto& [code, meaning] : exit_code_help()) {
    std::string n = std::to_string(code);
    out += "  " + n + std::string(6 - n.size(), ' ') + meaning + "\n";
  }
  return out;
}

std::string option_label(const OptionHelp& o) { return o.value.empty() ? o.name : o.name + " " + o.value; }

}  // namespace

const std::vector<CommandHelp>& command_help() {
  static const std::vector<CommandHelp> table = {
      {"run", "run PIPELINE [OPTION]...", "run a pipeline",
       "Loads and checks PIPELINE (a pipelines/*.yaml file), resolves its variables, then runs its steps in "
       "dependency order, independent ones in parallel. A failed step stops the steps that need it, unless their "
       "'when' says otherwise; the pipeline's notify hooks are posted when it ends.\n\n"
       "Progress goes to standard output; problems with the file are printed to standard error as "
       "file:line:col: message, all at once. Secrets are masked in everything printed and written.",
       run_options(), Operand::pipeline},
      {"plan", "plan PIPELINE [OPTION]...", "show what a run would do, change nothing",
       "The same as hoist run --plan: resolves everything and prints what each step would do (the commands, "
       "registry operations, manifest edits) without doing any of it. Notifications are not posted.",
       kRunOptions, Operand::pipeline},
      {"validate", "validate PIPELINE... [--var K=V]... | validate --policy FILE...",
       "check pipeline files (or policy files) and report every problem",
       "Reads each file and reports every problem at once, each as file:line:col: message: YAML syntax, unknown "
       "keys, wrong types, unknown step kinds and their inputs, notify hooks, needs that do not exist, cycles, "
       "undefined variables and step outputs. Prints 'FILE: ok (N steps)' for each good file. With --policy the "
       "files are manifest-repository policies (hoist.yaml): environments, after chains, gates, freeze windows.",
       {{"--var", "K=V", "define a variable, so that references to it are not reported as undefined (repeatable)"},
        {"--policy", "", "the files are policy files (hoist.yaml), not pipelines"}},
       Operand::pipeline},
      {"bump", "bump --repo URL --branch B --file F EDIT... [--file F2 EDIT...]... [--plan]",
       "set values in a manifest repository's files and push one commit",
       "Fetches branch B of the manifest repository, edits each file F in memory (only the bytes of each value "
       "change: comments, quoting, indentation and every other byte stay), commits on top of the branch tip and "
       "pushes without force. Each EDIT belongs to the --file before it; several files make one commit. Values are "
       "taken literally (no ${...} expansion). When another pipeline pushed first, the edit is applied again on the "
       "new tip, until --timeout; when the very value being set was changed meanwhile, the bump stops as superseded "
       "instead of overwriting it. Nothing to change makes no commit.\n\nCredentials: HOIST_GIT_USERNAME and HOIST_GIT_PASSWORD, else git's credential "
       "helpers (git credential fill), else ssh-agent for ssh URLs; never in the URL.",
       {{"--repo", "URL", "the manifest repository: https, ssh or file URL, or a local path"},
        {"--branch", "B", "the environment branch to change"},
        {"--file", "F", "the file to edit, relative to the repository root"},
        {"--set", "K=V", "set a YAML key path: image.tag, images[name=web].newTag, containers[name=app].image "
                         "(repeatable)"},
        {"--image", "REPO:TAG", "set every image: value whose repository is REPO; REPO:TAG@DIGEST or REPO@DIGEST "
                                "also set the digest (repeatable)"},
        {"--marker", "K=V", "set the value marked by a # {\"$imagepolicy\": \"NS:POLICY[:FIELD]\"} comment, "
                            "K being NS:POLICY[:FIELD] (repeatable)"},
        {"--create", "", "insert keys of --set paths that are missing, with the file's own indentation"},
        {"--all", "", "allow a --set key path to match several places"},
        {"--allow-older", "", "bump even when this build is older than the one the branch runs (recorded as "
                              "Hoist-Allow-Older: true)"},
        {"--message", "M", "the commit message (default: APP: OLD → NEW and the pipeline link)"},
        {"--author", "NAME <EMAIL>", "the commit author (default: the CI user, else Hoist)"},
        {"--digest", "D", "the image digest, recorded in the Hoist-Image-Digest trailer"},
        {"--cache-dir", "DIR", "keep a bare mirror of the repository here between runs (default $HOIST_CACHE)"},
        {"--ca-file", "FILE", "extra CA certificates for https"},
        {"--ssh-key", "FILE", "the private key for an ssh repository URL (default: ssh-agent)"},
        {"--timeout", "DURATION", "keep re-applying the edit while the branch moves under it, until this deadline "
                                "(default 5m; 90s, 10m...)"},
        kSigningKey,
        kSigningFormat,
        {"--plan", "", "fetch and print the diff, push nothing"},
        {"--output", "text|json", "progress as text (default) or one JSON object per line"},
        {"--junit", "FILE", "write a JUnit XML report"},
        {"--dotenv", "FILE", "write the step's outputs (commit, changed, old, new) as BUMP_* lines"}},
       Operand::none},
      {"promote", "promote APP... | --all --from ENV --to ENV [--repo URL] [--digest D] [--allow-older] "
                  "[--freeze-override REASON] [--plan] [--merge] [--yes]",
       "promote the exact digest one environment runs into the next, behind its gate",
       "Reads the policy (hoist.yaml) from the manifest repository's production branch, what ENV --from runs now "
       "(tag and digest), what the environment before --to runs, the approvals recorded for this digest, and who "
       "built or promoted it; checks the gate (promotion order, the exact digest running before, freeze windows, "
       "approvals by distinct allowed people other than the promoter and the builders, and no move to an older build); then copies the image if "
       "the target uses another repository and bumps the target file on the target branch, with Hoist-* trailers. "
       "Exit 3 when the gate refuses; the target branch is then unchanged.\n\nOn a terminal it shows the plan and "
       "asks you to type the environment name; without one it needs --yes, which skips the question and never a "
       "rule.\n\nWith several apps, or --all (every app whose digest differs between --from and --to), a release: every "
       "app's gate is checked and shown, and unless all allow nothing changes (exit 3); then one commit moves them all, "
       "with one Hoist-App trailer group per app.\n\nInto an environment with via: merge_request it pushes the commit "
       "to hoist/promote/APP/ENV/DIGEST12 instead and opens a merge request into ENV's branch (or updates the open "
       "one), whose hoist/gate status is the gate's verdict; --merge then merges it when the gate allows.",
       {{"--from", "ENV", "the environment the digest comes from"},
        {"--all", "", "release every app whose digest differs between --from and --to"},
        {"--to", "ENV", "the environment to promote into"},
        {"--repo", "URL", "the manifest repository (default $HOIST_MANIFEST_REPO)"},
        {"--digest", "D", "promote this digest instead of what --from runs now"},
        {"--allow-older", "", "promote even when the build is older than the one --to runs (recorded as "
                              "Hoist-Allow-Older: true)"},
        {"--freeze-override", "REASON", "break-glass during a freeze window: needs the gate's freeze_override "
                                        "approvals too; recorded as Hoist-Freeze-Override"},
        {"--ca-file", "FILE", "extra CA certificates for https"},
        kSigningKey,
        kSigningFormat,
        {"--plan", "", "print source and target, the diff of the target file and the gate's verdict; change nothing"},
        {"--merge", "", "via: merge_request: merge the request when the gate allows (exit 3 when it refuses); "
                        "by push: no difference"},
        {"--yes", "", "do not ask for confirmation (the gate still applies)"}},
       Operand::other},
      {"rollback",
       "rollback APP --env ENV [--repo URL] [--digest D] [--freeze-override REASON] [--plan] [--merge] [--yes]",
       "return an environment to the digest it ran before",
       "Picks the previous digest from ENV's branch history (or --digest, which must have been promoted into ENV "
       "before) and promotes it into ENV behind the same gate as a promotion: order, freeze windows and approvals "
       "for that exact digest. Exit 3 when refused.\n\nInto an environment with via: merge_request it opens (or "
       "updates) a merge request titled as a rollback; --merge then merges it when the gate allows.",
       {{"--env", "ENV", "the environment to roll back"},
        {"--repo", "URL", "the manifest repository (default $HOIST_MANIFEST_REPO)"},
        {"--digest", "D", "roll back to this digest"},
        {"--freeze-override", "REASON", "break-glass during a freeze window: needs the gate's freeze_override "
                                        "approvals too; recorded as Hoist-Freeze-Override"},
        {"--ca-file", "FILE", "extra CA certificates for https"},
        kSigningKey,
        kSigningFormat,
        {"--plan", "", "print what would change and the gate's verdict; change nothing"},
        {"--merge", "", "via: merge_request: merge the request when the gate allows (exit 3 when it refuses); "
                        "by push: no difference"},
        {"--yes", "", "do not ask for confirmation (the gate still applies)"}},
       Operand::other},
      {"approve", "approve APP... | --all --env ENV [--digest D] [--sign-key FILE] [--comment C] [--yes]",
       "record your approval of one digest for one environment",
       "Records one approval, for exactly one digest of APP into ENV, by you (the CI user, else git config), now, as "
       "a ref of its own in the manifest repository, so concurrent approvals never lose each other. The digest "
       "defaults to what the environment before ENV runs now. With --sign-key the record carries an SSH signature "
       "(ssh-keygen -Y sign), which a policy with signed: true requires.\n\nWith several apps, or --all (every app whose "
       "digest in the environment before ENV differs from ENV's), one approval covers the exact set of app -> digest "
       "(one record, signed once); it counts for each app at the digest it names, and not for an app whose digest "
       "changed since.",
       {{"--env", "ENV", "the environment the approval is for"},
        {"--digest", "D", "the digest to approve (default: what the environment before ENV runs)"},
        {"--all", "", "approve a release of every app whose digest differs from ENV's"},
        {"--sign-key", "FILE", "sign the record with this SSH private key"},
        kSigningKey,
        kSigningFormat,
        {"--comment", "C", "a comment stored with the approval"},
        {"--repo", "URL", "the manifest repository (default $HOIST_MANIFEST_REPO)"},
        {"--ca-file", "FILE", "extra CA certificates for https"},
        {"--yes", "", "do not ask for confirmation"}},
       Operand::other},
      {"status", "status [APP] [--repo URL] [--output text|json]",
       "what each environment runs now",
       "For APP, every environment of the policy: the tag and digest in its values file, the commit that set them, "
       "when and by whom, and whether it runs what the environment before it runs. Without APP, a board of every "
       "app × environment (tag and digest). An unknown APP exits 2 naming the apps there are.",
       {{"--repo", "URL", "the manifest repository (default $HOIST_MANIFEST_REPO)"},
        {"--ca-file", "FILE", "extra CA certificates for https"},
        {"--output", "text|json", "a table (default) or JSON"}},
       Operand::other},
      {"history", "history APP [--env ENV] [--repo URL] [--output text|json]",
       "every promotion into an environment",
       "Lists the commits of ENV's branch that changed APP's file, newest first: digest, tag, approvers, who "
       "promoted, the pipeline link and the time, from their Hoist-* trailers. Without --env, every environment's.",
       {{"--env", "ENV", "only this environment"},
        {"--repo", "URL", "the manifest repository (default $HOIST_MANIFEST_REPO)"},
        {"--ca-file", "FILE", "extra CA certificates for https"},
        {"--output", "text|json", "a table (default) or JSON"}},
       Operand::other},
      {"gate-status", "gate-status APP --env ENV [--digest D] [--repo URL]",
       "set the hoist/gate status of a promotion's merge request",
       "For an environment with via: merge_request: evaluates the gate for the promotion of APP into ENV (the "
       "digest the environment before it runs, or --digest) and sets the hoist/gate commit status on the head of "
       "its merge request: success when the gate allows, else failure. For a scheduled or manual CI job: a freeze "
       "window that ended or an approval that expired changes the verdict without anyone running Hoist.",
       {{"--env", "ENV", "the environment the merge request promotes into"},
        {"--digest", "D", "the promoted digest (default: what the environment before ENV runs)"},
        {"--repo", "URL", "the manifest repository (default $HOIST_MANIFEST_REPO)"},
        {"--ca-file", "FILE", "extra CA certificates for https"}},
       Operand::other},
      {"image", "image build|tag|copy|digest [OPTION]...",
       "build, tag, copy or resolve container images through the registry API",
       "hoist image build --base B --image I [--tag T]... [--layer SRC:DEST]... [OPTION]...: builds an image from "
       "base B (an image reference, or scratch) and local files (each --layer one reproducible layer, SRC relative "
       "to the current directory) and pushes it to repository I: the base's layers are mounted (or streamed from "
       "another registry), new blobs uploaded unless already there, the manifest put by digest and the tags last. "
       "An unchanged rebuild uploads nothing. COMMIT_SHA and REPO_URL become the org.opencontainers.image.revision "
       "and .source labels; SOURCE_DATE_EPOCH fixes every time stamp. Several --platform values build one image per "
       "platform of the base and an OCI index over them.\n\n"
       "hoist image tag REF --tag T...: puts the image REF names (tag or digest) under more tags; no blob moves.\n\n"
       "hoist image copy SRC DST: copies an image or an index to another repository or registry, keeping its digest "
       "(within one registry every blob is mounted). DST without a tag takes SRC's tag.\n\n"
       "hoist image digest REF: prints the digest REF resolves to (exit 1 when there is no such image).\n\n"
       "Credentials: --username, else $HOIST_REGISTRY_USERNAME, with the password from $HOIST_REGISTRY_PASSWORD "
       "(never a flag); else docker's config.json ($DOCKER_CONFIG, $REGISTRY_AUTH_FILE, credential helpers). "
       "HOIST_DEBUG=1 prints every registry request as METHOD url -> status.",
       {{"--base", "B", "build: the base image reference, or scratch"},
        {"--image", "I", "build: the repository to push to (a tag written here is one more tag)"},
        {"--tag", "T", "build, tag: a tag to put the image under (repeatable; build default: latest)"},
        {"--layer", "SRC:DEST", "build: add a file or directory as one layer at DEST in the image (repeatable)"},
        {"--entrypoint", "ARG", "build: the entrypoint, as a JSON array or one word per --entrypoint"},
        {"--cmd", "ARG", "build: the default arguments, as a JSON array or one word per --cmd"},
        {"--env", "K=V", "build: set an environment variable in the image (repeatable)"},
        {"--label", "K=V", "build: set a label (repeatable)"},
        {"--workdir", "PATH", "build: the working directory in the image"},
        {"--user", "USER[:GROUP]", "build: the user the image runs as"},
        {"--expose", "PORT[/PROTO]", "build: a port the image listens on (repeatable)"},
        {"--platform", "OS/ARCH[/VARIANT]", "build: a platform to build for (repeatable; default: linux/amd64)"},
        {"--compression", "gzip|zstd", "build: the layer compression (default gzip)"},
        {"--compression-level", "N", "build: gzip 0..9 or zstd 1..19 (default 1)"},
        {"--username", "U", "the registry user (password from $HOIST_REGISTRY_PASSWORD)"},
        {"--ca-file", "FILE", "extra CA certificates for the registry's TLS"},
        {"--insecure", "", "allow plain http and unverified TLS for the registries named"},
        {"--plan", "", "build, tag, copy: say what would be uploaded, mounted and tagged; write nothing"},
        {"--output", "text|json", "progress as text (default) or one JSON object per line"},
        {"--junit", "FILE", "write a JUnit XML report"},
        {"--dotenv", "FILE", "write the step's outputs (digest, ref, tags) as IMAGE_* lines"}},
       Operand::other, {"build", "tag", "copy", "digest"}},
      {"ci", "ci gitlab-child|github-matrix PIPELINE... [--image IMAGE] [--changed FILE] [--output FILE]",
       "generate CI configuration from pipelines",
       "gitlab-child: writes a GitLab child pipeline with one job per PIPELINE, for repositories with many services. "
       "Each job is named hoist:NAME after the pipeline's name, starts at once (needs: []), runs hoist run PIPELINE, "
       "and keeps its JUnit and dotenv reports under hoist-reports/ as GitLab artifacts. Its rules: changes: list "
       "the pipeline file and its paths: globs (without paths:, what its steps read from the checkout: working_dir, "
       "image/build layer sources, a run script), so a push runs only the services it touched. A parent job "
       "generates the file and starts it with trigger: include: artifact (see README, 'GitLab CI').\n\n"
       "github-matrix: writes a GitHub Actions matrix, one line of JSON {\"include\": [{\"name\", \"pipeline\"}]}; "
       "with --changed FILE (the changed paths, one a line, as git diff --name-only prints them) only the pipelines "
       "whose paths one of them matches.\n\n"
       "Every pipeline is checked first, as hoist validate does (no run-time values needed); every problem in every "
       "file is reported at once (exit 2) and nothing is written. Two pipelines that would make the same job name "
       "are an error too.",
       {{"--image", "IMAGE", "gitlab-child: the jobs' image (Hoist's own; its entrypoint is cleared for GitLab); "
                             "default: the runner's"},
        {"--changed", "FILE", "github-matrix: only pipelines whose paths a path listed in FILE matches"},
        {"--output", "FILE", "write the result to FILE (atomically) instead of standard output"}},
       Operand::pipeline, {"gitlab-child", "github-matrix"}},
      {"version", "version", "print the version", "Prints 'hoist VERSION'. Also: hoist --version.", {},
       Operand::none},
      {"help", "help [COMMAND]", "show help for hoist or for one command",
       "Without COMMAND, lists every command. With one, prints what hoist COMMAND --help prints.", {},
       Operand::command},
      {"man", "man", "print the manual page (roff)",
       "Prints hoist's manual page in man(7) format, generated from the same text as --help. Read it with "
       "'hoist man | man -l -', or install it with 'hoist man > /usr/local/share/man/man1/hoist.1'.",
       {}, Operand::none},
      {"completion", "completion bash", "print a shell completion script",
       "Prints a bash completion script for hoist: commands, their options, the values of --output, pipeline "
       "files under pipelines/, and the step ids of the pipeline on the line for --only. Load it with "
       "'source <(hoist completion bash)', e.g. in ~/.bashrc.",
       {}, Operand::shell},
  };
  return table;
}

const CommandHelp* find_command_help(std::string_view name) {
  const auto& t = command_help();
  auto it = std::find_if(t.begin(), t.end(), [&](const CommandHelp& c) { return c.name == name; });
  return it == t.end() ? nullptr : &*it;
}

const std::vector<std::pair<int, std::string>>& exit_code_help() {
  static const std::vector<std::pair<int, std::string>> codes = {
      {0, "success"},
      {1, "a step failed (or a notification with on_error: fail)"},
      {2, "bad input: the pipeline file, flags or policy, or a step's (a key not in the file)"},
      {3, "a gate refused (in hoist promote or a promote step)"},
      {130, "interrupted (SIGINT or SIGTERM)"},
  };
  return codes;
}

std::string usage_text() {
  std::string out = "usage: hoist COMMAND [ARGS]\n\n";
  out += wrap("Build container images, bump manifest repositories and promote between environments, from "
              "declarative pipelines.", "");
  out += "\nCommands:\n";
  size_t width = 0;
  for (const auto& c : command_help()) width = std::max(width, c.name.size());
  for (const auto& c : command_help())
    out += "  " + c.name + std::string(width + 3 - c.name.size(), ' ') + c.summary + "\n";
  out += "\nRun 'hoist COMMAND --help' (or 'hoist help COMMAND') for a command's options.\n\n";
  return out + exit_codes_text();
}

std::string command_help_text(const CommandHelp& c) {
  std::string out = "usage: hoist " + c.synopsis + "\n\n" + wrap(c.summary, "") + "\n";
  for (const auto& p : paragraphs(c.description)) out += wrap(p, "") + "\n";
  if (!c.options.empty()) {
    out += "Options:\n";
    size_t width = 0;
    for (const auto& o : c.options) width = std::max(width, option_label(o).size());
    for (const auto& o : c.options) {
      std::string label = option_label(o);
      std::string text = wrap(o.description, std::string(width + 6, ' '));
      out += "  " + label + std::string(width + 4 - label.size(), ' ') + text.substr(width + 6);
    }
    out += "\n";
  }
  return out + exit_codes_text();
}

}  // namespace hoist
