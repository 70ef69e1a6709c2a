// `hoist history APP [--env ENV]`: every promotion into an environment (the commits of its branch that changed the
// app's values file and carry a Hoist-Image-Digest trailer), newest first, with digest, tag, source, promoter,
// approvers, pipeline link and time, as a table with a header. Without --env, every environment's, newest first.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

#include "runner/cli/args.hpp"
#include "steps/gate/known_apps.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/cli/text_table.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/join.hpp"
#include "steps/gate/approval_record.hpp"
#include "steps/gate/env_image.hpp"
#include "steps/gate/production_policy.hpp"

namespace hoist {

int history_command(const std::vector<std::string>& argv, Console& console, ManifestDeps& deps) {
  Args args(argv, manifest_arg_spec("history"), "history");
  check_output_flag(args, "history");
  if (args.positional().size() != 1)
    throw InputError("usage: hoist history APP [--env ENV] [--repo URL] [--output text|json]");
  const std::string app = args.positional()[0];
  promote::ManifestRepo repo(manifest_access(args, console, deps));
  promote::ProductionPolicy pp = read_production_policy(repo);
  std::vector<std::string> envs = pp.policy.promotion_order();
  if (auto only = args.value("--env")) envs = {pp.policy.environment(*only).name};
  promote::check_known_app(app, promote::known_apps(repo, pp.policy));
  const bool json = args.value("--output") == "json";
  nlohmann::json out = nlohmann::json::array();

  struct Row {
    std::int64_t time;
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
  // Latest environment first, so that among equal times (one second) a promotion lists above the one it came from.
  for (auto env_name = envs.rbegin(); env_name != envs.rend(); ++env_name) {
    const promote::Environment& env = pp.policy.environment(*env_name);
    const std::string file = pp.policy.file_for(env.name, app);
    for (const auto& c : repo.history(env.branch, file)) {
      auto digest = c.trailer("Hoist-Image-Digest");
      if (!digest) continue;
      std::string tag;
      if (auto content = repo.read(c.id, file)) tag = promote::tag_in(pp.policy, app, *content, file).value_or("");
      const std::string time = promote::format_rfc3339(promote::TimePoint(std::chrono::seconds(c.time)));
      std::string from = c.trailer("Hoist-Promoted-From").value_or("");
      if (c.trailer("Hoist-Rollback-From")) from = "rollback";
      const std::string promoter =
          c.trailer("Hoist-Promoted-By").value_or(c.trailer("Hoist-Actor").value_or(c.author_name));
      const auto approvers = c.trailer_values("Hoist-Approved-By");
      const std::string pipeline = c.trailer("Hoist-Pipeline").value_or("");
      if (json) {
        out.push_back({{"environment", env.name}, {"commit", c.id}, {"time", time}, {"digest", *digest},
                       {"tag", tag}, {"from", from}, {"by", promoter}, {"approved_by", approvers},
                       {"pipeline", pipeline}});
        continue;
      }
      rows.push_back({static_cast<std::int64_t>(c.time),
                      {time, env.name, c.id.substr(0, 12), *digest, tag, from.empty() ? "bump" : from, promoter,
                       join(approvers, ", "), pipeline}});
    }
  }
  if (!json) {
    // Newest first across environments; equal times keep the order collected.
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.time > b.time; });
    TextTable table({"TIME", "ENV", "COMMIT", "DIGEST", "TAG", "FROM", "BY", "APPROVED BY", "PIPELINE"});
    for (auto& r : rows) table.add(std::move(r.cells));
    table.print(console.out);
  }
  if (json) console.out << out.dump() << "\n";
  return to_int(ExitCode::ok);
}

}  // namespace hoist
