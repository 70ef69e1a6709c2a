#pragma once
// The commands that read and write the manifest repository's promotion state: `hoist promote`, `hoist rollback`,
// `hoist approve`, `hoist status`, `hoist history`. Each lives in its own file; they share how the repository is
// reached (manifest_access.cpp) and take the outside world they need as ManifestDeps, so tests can run them in
// process with a fake registry, a fake terminal and a fixed clock.

#include <functional>
#include <string>
#include <vector>

#include "runner/cli/pipeline_commands.hpp"
#include "runner/cli/prompt.hpp"
#include "runner/process/process.hpp"
#include "steps/gate/freeze_window.hpp"
#include "steps/gate/image_resolver.hpp"
#include "steps/gate/manifest_repo.hpp"
#include "steps/gate/promotion.hpp"

namespace hoist {

class Args;

struct ManifestDeps {
  Prompt& prompt;
  promote::ImageResolver& resolver;
  ProcessRunner& processes;                       // ssh-keygen, git credential
  std::function<promote::TimePoint()> clock;
};

struct ArgSpec;
// The options each manifest command accepts ("promote", "rollback", "approve", "status", "history").
const ArgSpec& manifest_arg_spec(const std::string& command);

int promote_command(const std::vector<std::string>& args, Console& console, ManifestDeps& deps);
int rollback_command(const std::vector<std::string>& args, Console& console, ManifestDeps& deps);
int approve_command(const std::vector<std::string>& args, Console& console, ManifestDeps& deps);
int status_command(const std::vector<std::string>& args, Console& console, ManifestDeps& deps);
int history_command(const std::vector<std::string>& args, Console& console, ManifestDeps& deps);
int gate_status_command(const std::vector<std::string>& args, Console& console, ManifestDeps& deps);

// Promotion by merge request (merge_request_command.cpp). promote_by_merge_request proposes PLAN into ENV and, with
// --merge, merges it: returns an exit code, or -1 when it merged (the caller then notifies). refresh_after_approval
// sets the hoist/gate status of APP's request for DIGEST into ENV (nothing when ENV is not promoted by merge
// request; a warning when it cannot).
int promote_by_merge_request(const Args& args, promote::ManifestRepo& repo, const promote::Environment& env,
                             promote::Promoter& promoter, const promote::PromotionPlan& plan, Console& console);
void refresh_after_approval(promote::ManifestRepo& repo, const promote::Policy& policy,
                            const promote::Environment& env, const std::string& app, const std::string& digest,
                            Console& console, ManifestDeps& deps);

// --repo, else $HOIST_MANIFEST_REPO; --ca-file; credentials from the environment; warnings to console.err.
promote::ManifestAccess manifest_access(const Args& args, Console& console, ManifestDeps& deps);

// What signs the commits a command writes (--signing-key / --signing-format, HOIST_SIGNING_*, git's
// commit.gpgsign; steps/signing/commit_signer.hpp), checked by signing once: a key that cannot sign is exit 2 before
// anything is pushed. Empty when nothing asks for signing.
CommitSigner commit_signer(const Args& args, Console& console, ManifestDeps& deps);

}  // namespace hoist
