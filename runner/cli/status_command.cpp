// `hoist status [APP]`: what each environment of the policy runs now (tag, digest), from which commit, since when
// and by whom, and whether each environment runs what the one before it runs, as a table with a header. Without
// APP, a board of every app the repository knows (steps/gate/known_apps.hpp) × every environment: tag and short digest.

#include <nlohmann/json.hpp>

#include "runner/cli/args.hpp"
#include "steps/gate/known_apps.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/cli/text_table.hpp"
#include "runner/util/errors.hpp"
#include "steps/gate/approval_record.hpp"
#include "steps/gate/env_image.hpp"
#include "steps/gate/production_policy.hpp"

namespace hoist {
namespace {


std::string agreement(const promote::Policy& policy, const promote::EnvImage& e,
                      const std::map<std::string, promote::EnvImage>& all) {
  const auto& env = policy.environment(e.env);
  if (env.after.empty()) return "";
  auto it = all.find(env.after);
  if (it == all.end() || !it->second.digest || !e.digest) return "unknown vs " + env.after;
  return *it->second.digest == *e.digest ? "same as " + env.after : "differs from " + env.after;
}

std::string when(const std::optional<CommitInfo>& c) {
  return c ? promote::format_rfc3339(promote::TimePoint(std::chrono::seconds(c->time))) : "-";
}

std::string by(const std::optional<CommitInfo>& c) {
  if (!c) return "-";
  if (auto p = c->trailer("Hoist-Promoted-By")) return *p;
  if (auto a = c->trailer("Hoist-Actor")) return *a;
  return c->author_name;
}

}  // namespace

int status_command(const std::vector<std::string>& argv, Console& console, ManifestDeps& deps) {
  Args args(argv, manifest_arg_spec("status"), "status");
  check_output_flag(args, "status");
  if (args.positional().size() > 1) throw InputError("usage: hoist status [APP] [--repo URL] [--output text|json]");
  promote::ManifestRepo repo(manifest_access(args, console, deps));
  promote::ProductionPolicy pp = read_production_policy(repo);
  const std::vector<std::string> known = promote::known_apps(repo, pp.policy);
  for (const auto& app : args.positional()) promote::check_known_app(app, known);
  const bool board = args.positional().empty();
  std::vector<std::string> apps = board ? known : args.positional();
  const bool json = args.value("--output") == "json";
  nlohmann::json out = nlohmann::json::array();
  std::vector<std::string> board_header = {"APP"};
  for (const auto& name : pp.policy.promotion_order()) board_header.push_back(name);
  TextTable board_table(board_header);

  for (const auto& app : apps) {
    std::map<std::string, promote::EnvImage> states;
    for (const auto& name : pp.policy.promotion_order())
      states[name] = promote::read_env_image(repo, pp.policy, name, app, &deps.resolver, true);
    TextTable table({"ENV", "BRANCH", "TAG", "DIGEST", "COMMIT", "SINCE", "BY", "AGREEMENT"});
    std::vector<std::string> board_row = {app};
    for (const auto& name : pp.policy.promotion_order()) {
      const auto& e = states.at(name);
      const std::string commit = e.last_change ? e.last_change->id : "";
      if (json) {
        out.push_back({{"app", app}, {"environment", e.env}, {"branch", e.branch}, {"file", e.file},
                       {"tag", e.tag.value_or("")}, {"digest", e.digest.value_or("")}, {"commit", commit},
                       {"time", when(e.last_change)}, {"by", by(e.last_change)},
                       {"agreement", agreement(pp.policy, e, states)}});
        continue;
      }
      const std::string digest = e.digest ? promote::short_digest(*e.digest) : e.tag ? "unknown" : "";
      board_row.push_back(e.tag ? *e.tag + " " + digest : "");
      table.add({e.env, e.branch, e.tag.value_or(""), digest, commit.substr(0, 12), when(e.last_change),
                 by(e.last_change), agreement(pp.policy, e, states)});
    }
    if (json) continue;
    if (board) {
      board_table.add(board_row);
    } else {
      console.out << app << "\n";
      table.print(console.out, "  ");
    }
  }
  if (board && !json) board_table.print(console.out);
  if (json) console.out << out.dump() << "\n";
  return to_int(ExitCode::ok);
}

}  // namespace hoist
