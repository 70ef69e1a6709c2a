// `hoist history APP --env ENV`: every promotion into an environment (the commits of its branch that changed the
// app's values file and carry a Hoist-Image-Digest trailer), newest first, with digest, tag, source, promoter,
// approvers, pipeline link and time.

#include <nlohmann/json.hpp>

#include "runner/cli/args.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/util/errors.hpp"
#include "steps/gate/approval_record.hpp"
#include "steps/gate/env_image.hpp"
#include "steps/gate/production_policy.hpp"

namespace hoist {
namespace {


std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace

int history_command(const std::vector<std::string>& argv, Console& console, ManifestDeps& deps) {
  Args args(argv, manifest_arg_spec("history"), "history");
  check_output_flag(args, "history");
  if (args.positional().size() != 1 || !args.value("--env"))
    throw InputError("usage: hoist history APP --env ENV [--repo URL] [--output text|json]");
  const std::string app = args.positional()[0];
  promote::ManifestRepo repo(manifest_access(args, console, deps));
  promote::ProductionPolicy pp = read_production_policy(repo);
  const promote::Environment& env = pp.policy.environment(*args.value("--env"));
  const std::string file = pp.policy.file_for(env.name, app);
  const bool json = args.value("--output") == "json";
  nlohmann::json out = nlohmann::json::array();

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
      out.push_back({{"commit", c.id}, {"time", time}, {"digest", *digest}, {"tag", tag}, {"from", from},
                     {"by", promoter}, {"approved_by", approvers}, {"pipeline", pipeline}});
      continue;
    }
    console.out << time << "  " << c.id.substr(0, 12) << "  " << *digest << "  tag " << (tag.empty() ? "-" : tag)
                << "  " << (from.empty() ? "bump" : from == "rollback" ? "rollback" : "from " + from) << "  by "
                << promoter << "  approved by " << (approvers.empty() ? "-" : join(approvers));
    if (!pipeline.empty()) console.out << "  " << pipeline;
    console.out << "\n";
  }
  if (json) console.out << out.dump() << "\n";
  return to_int(ExitCode::ok);
}

}  // namespace hoist
