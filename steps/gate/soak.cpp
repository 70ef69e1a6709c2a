// See soak.hpp.
#include "steps/gate/soak.hpp"

#include "runner/util/duration.hpp"
#include "steps/gate/env_image.hpp"
#include "steps/gate/lineage.hpp"

namespace hoist::promote {

GateRule soak_rule(ManifestRepo& repo, const Policy& policy, const std::string& app, const std::string& from,
                   const std::string& digest, const std::string& tag, const Environment& to, TimePoint now) {
  const Environment& env = policy.environment(from);
  const std::string file = policy.file_for(env.name, app);
  const std::vector<CommitInfo> history = repo.history(env.branch, file);
  const std::string need = to.name + " needs soak " + format_duration(to.gate.soak);
  if (history.empty() || !commit_runs(repo, policy, app, history.front(), file, digest, tag))
    return {"soak", false, from + " does not run " + short_digest(digest) + ", so it has not soaked there; " + need};
  std::size_t j = 0;
  while (j + 1 < history.size() && commit_runs(repo, policy, app, history[j + 1], file, digest, tag)) ++j;
  const TimePoint since{std::chrono::seconds(history[j].time)};
  const auto ran = std::chrono::duration_cast<std::chrono::seconds>(now - since);
  const std::string text = short_digest(digest) + " has run in " + from + " since " + format_rfc3339(since) + " (" +
                           (ran.count() < 0 ? "0s" : format_duration(ran)) + ", commit " + history[j].id.substr(0, 12) +
                           ")";
  if (ran >= to.gate.soak) return {"soak", true, text + "; " + need};
  return {"soak", false, text + "; " + need + ": it may be promoted from " + format_rfc3339(since + to.gate.soak)};
}

}  // namespace hoist::promote
