// Following a digest back through the environments it passed (see lineage.hpp).
#include "steps/gate/lineage.hpp"

#include <optional>
#include <vector>

#include "runner/util/errors.hpp"
#include "steps/gate/env_image.hpp"

namespace hoist::promote {
namespace {

struct Walk {
  ManifestRepo& repo;
  const Policy& policy;
  const std::string& app;
  const std::string& digest;
  const std::string& tag;

  // Whether COMMIT's values FILE runs the digest.
  bool runs(const CommitInfo& commit, const std::string& file) {
    if (auto d = digest_at(repo, policy, app, commit, file)) return *d == digest;
    auto content = repo.read(commit.id, file);
    return content && tag_in(policy, app, *content, file) == tag;
  }

  static std::string at(const Environment& env, const CommitInfo& c) {
    return env.name + "'s commit " + c.id.substr(0, 12) + " (branch " + env.branch + ")";
  }

  // Checks that the digest reached ENV through Hoist, starting at AT_COMMIT (the newest change when absent), which
  // must run it. Passes with the chain so far ("qa (bumped by frank in 9f8e7d...) -> staging") or fails saying where.
  GateRule check(const Environment& env, std::optional<std::string> at_commit, int depth, const std::string& via) {
    const std::string file = policy.file_for(env.name, app);
    const std::vector<CommitInfo> history = repo.history(env.branch, file);
    std::size_t i = 0;
    if (at_commit) {
      while (i < history.size() && history[i].id != *at_commit) ++i;
      if (i == history.size())
        return {"lineage", false,
                via + " names " + env.name + "'s commit " + at_commit->substr(0, 12) + ", which is not a change of " +
                    file + " on branch " + env.branch + ": the chain is broken there"};
    }
    if (i >= history.size() || !runs(history[i], file))
      return {"lineage", false,
              (history.empty() ? env.name + " has no history of " + file
                               : at(env, history[i]) + " does not run " + short_digest(digest)) +
                  ": the chain is broken there"};
    // The commits since the digest arrived: the newest run of commits that run it, from i on.
    for (std::size_t j = i; j < history.size(); ++j) {
      if (j + 1 < history.size() && runs(history[j + 1], file)) continue;
      const CommitInfo& arrival = history[j];
      if (env.after.empty()) {
        // A bump records who ran it (Hoist-Actor) and, given `digest:`, the digest; a hand edit neither.
        auto actors = arrival.trailer_values("Hoist-Actor");
        if (!actors.empty() || arrival.trailer("Hoist-Image-Digest") == digest)
          return {"lineage", true,
                  env.name + " (bumped" + (actors.empty() ? "" : " by " + actors.front()) + " in " +
                      arrival.id.substr(0, 12) + ")"};
        return {"lineage", false,
                at(env, arrival) + " set " + short_digest(digest) +
                    " without a pipeline's bump (no Hoist-Actor trailer: an edit by hand?): the chain is broken there"};
      }
      if (arrival.trailer("Hoist-Rollback-From")) {
        // Rolled back to it: it arrived earlier; find that earlier run.
        std::size_t k = j + 1;
        while (k < history.size() && !runs(history[k], file)) ++k;
        if (k == history.size())
          return {"lineage", false,
                  at(env, arrival) + " rolled back to " + short_digest(digest) +
                      ", which never arrived there before: the chain is broken there"};
        j = k - 1;  // the loop's ++j lands on k
        continue;
      }
      const auto promoted_from = arrival.trailer("Hoist-Promoted-From");
      const auto source_commit = arrival.trailer("Hoist-Promoted-From-Commit");
      if (promoted_from != env.after || !source_commit)
        return {"lineage", false,
                at(env, arrival) + " set " + short_digest(digest) + " without a promotion from " + env.after +
                    " (an edit by hand?): the chain " + env.after + " -> " + env.name + " is broken there"};
      if (depth > static_cast<int>(policy.environments.size()))
        return {"lineage", false, "the chain of environments is longer than the policy's"};
      GateRule before = check(policy.environment(env.after), *source_commit, depth + 1,
                              "the promotion " + arrival.id.substr(0, 12) + " into " + env.name);
      if (!before.passed) return before;
      return {"lineage", true, before.message + " -> " + env.name};
    }
    return {"lineage", false, env.name + ": no commit brought " + short_digest(digest)};
  }
};

}  // namespace

GateRule check_lineage(ManifestRepo& repo, const Policy& policy, const std::string& app, const std::string& from,
                       const std::string& digest, const std::string& tag) {
  Walk walk{repo, policy, app, digest, tag};
  GateRule rule = walk.check(policy.environment(from), std::nullopt, 0, "");
  if (rule.passed) rule.message = short_digest(digest) + " came through Hoist: " + rule.message;
  return rule;
}

}  // namespace hoist::promote
