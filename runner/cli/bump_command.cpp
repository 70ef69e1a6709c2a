#include "runner/cli/bump_command.hpp"

#include "runner/cli/args.hpp"
#include "runner/exec/executor.hpp"
#include "runner/exec/step_registry.hpp"
#include "runner/pipeline/builtins.hpp"
#include "runner/pipeline/variables.hpp"
#include "runner/util/errors.hpp"

namespace hoist {
namespace {

const ArgSpec kBumpSpec{{"--plan", "--create", "--all"},
                        {"--repo", "--branch", "--file", "--set", "--image", "--marker", "--message", "--author",
                         "--digest", "--cache-dir", "--ca-file", "--ssh-key", "--max-attempts", "--output", "--junit",
                         "--dotenv"}};

// "KEY=VALUE" as given to --set or --marker; the key may not hold '=' (key paths and marker names never do).
std::pair<std::string, std::string> split_assignment(const std::string& flag, const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("hoist bump: " + flag + " expects KEY=VALUE, got '" + arg + "'");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

YAML::Node with_from(const Args& args) {
  YAML::Node with(YAML::NodeType::Map);
  auto copy = [&](const char* flag, const char* key) {
    if (auto v = args.value(flag)) with[key] = *v;
  };
  copy("--repo", "repo");
  copy("--branch", "branch");
  copy("--file", "file");
  copy("--message", "message");
  copy("--author", "author");
  copy("--digest", "digest");
  copy("--cache-dir", "cache_dir");
  copy("--ca-file", "ca_file");
  copy("--ssh-key", "ssh_key");
  copy("--max-attempts", "max_attempts");
  if (args.flag("--create")) with["create"] = "true";
  if (args.flag("--all")) with["all"] = "true";
  for (const auto& s : args.values("--set")) {
    auto [k, v] = split_assignment("--set", s);
    with["set"][k] = v;
  }
  for (const auto& m : args.values("--marker")) {
    auto [k, v] = split_assignment("--marker", m);
    with["markers"][k] = v;
  }
  for (const auto& i : args.values("--image")) with["images"].push_back(i);
  for (const char* required : {"repo", "branch", "file"})
    if (!with[required]) throw InputError(std::string("hoist bump: --") + required + " is required");
  if (!with["set"] && !with["images"] && !with["markers"])
    throw InputError("hoist bump: give at least one edit: --set KEY.PATH=VALUE, --image REPO:TAG or --marker NS:POLICY=VALUE");
  return with;
}

}  // namespace

const ArgSpec& bump_arg_spec() { return kBumpSpec; }

int bump_command(const std::vector<std::string>& argv, Console& console) {
  Args args(argv, kBumpSpec, "bump");
  if (!args.positional().empty()) throw InputError("hoist bump: unexpected argument '" + args.positional()[0] + "'");
  return run_single_step("bump", "bump", "bump", "manifest/bump", with_from(args), args, console);
}

}  // namespace hoist
