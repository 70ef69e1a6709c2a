// `hoist status [APP]`: what each environment of the policy runs now (tag, digest), from which commit, since when
// and by whom, and whether each environment runs what the one before it runs. Without APP, every app that has a
// values file on the production branch.

#include <nlohmann/json.hpp>

#include <iomanip>
#include <regex>

#include "runner/cli/args.hpp"
#include "runner/cli/manifest_commands.hpp"
#include "runner/util/errors.hpp"
#include "steps/gate/approval_record.hpp"
#include "steps/gate/env_image.hpp"
#include "steps/gate/production_policy.hpp"

namespace hoist {
namespace {


// Apps with a file on the production branch: paths matching the production environment's file pattern or an
// `apps:` rule's (a rule's exact name, or its glob's file pattern), each checked against file_for.
std::vector<std::string> apps_on(promote::ManifestRepo& repo, const promote::ProductionPolicy& pp) {
  const promote::Environment& env = pp.policy.environment(pp.environment);
  std::vector<std::string> candidates;
  for (const auto& rule : pp.policy.apps)
    if (!rule.is_glob()) candidates.push_back(rule.pattern);
  const std::vector<std::string> files = repo.files(pp.commit);
  for (const auto& pattern : pp.policy.file_patterns(env)) {
    std::string re;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern.compare(i, 5, "{app}") == 0) {
        re += "([^/]+)";
        i += 4;
      } else if (std::string("\\^$.|?*+()[]{}").find(pattern[i]) != std::string::npos) {
        re += std::string("\\") + pattern[i];
      } else {
        re += pattern[i];
      }
    }
    std::regex matcher(re);
    for (const auto& f : files) {
      std::smatch m;
      if (std::regex_match(f, m, matcher) && m.size() > 1) candidates.push_back(m[1].str());
    }
  }
  std::vector<std::string> apps;
  for (const auto& app : candidates) {
    if (std::find(apps.begin(), apps.end(), app) != apps.end()) continue;
    try {
      if (std::find(files.begin(), files.end(), pp.policy.file_for(env.name, app)) != files.end()) apps.push_back(app);
    } catch (const InputError&) {
    }
  }
  return apps;
}

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
  std::vector<std::string> apps = args.positional().empty() ? apps_on(repo, pp) : args.positional();
  const bool json = args.value("--output") == "json";
  nlohmann::json out = nlohmann::json::array();

  for (const auto& app : apps) {
    std::map<std::string, promote::EnvImage> states;
    for (const auto& name : pp.policy.promotion_order())
      states[name] = promote::read_env_image(repo, pp.policy, name, app, &deps.resolver, true);
    if (!json) console.out << app << "\n";
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
      console.out << "  " << std::left << std::setw(10) << e.env << " " << std::setw(10) << e.branch << " tag "
                  << std::setw(12) << e.tag.value_or("-") << " "
                  << std::setw(20) << (e.digest ? promote::short_digest(*e.digest) : "digest unknown") << " "
                  << (commit.empty() ? "-" : commit.substr(0, 12)) << " " << when(e.last_change) << " "
                  << by(e.last_change);
      if (auto a = agreement(pp.policy, e, states); !a.empty()) console.out << "  (" << a << ")";
      console.out << "\n";
    }
  }
  if (json) console.out << out.dump() << "\n";
  return to_int(ExitCode::ok);
}

}  // namespace hoist
