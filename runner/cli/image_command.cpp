// See image_command.hpp.
#include "runner/cli/image_command.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <ostream>
#include <set>

#include "runner/cli/args.hpp"
#include "runner/exec/executor.hpp"
#include "runner/exec/step_registry.hpp"
#include "runner/pipeline/builtins.hpp"
#include "runner/pipeline/variables.hpp"
#include "runner/process/subprocess.hpp"
#include "runner/util/errors.hpp"
#include "runner/util/strings.hpp"
#include "steps/image/registry_access.hpp"

namespace hoist {
namespace {

const ArgSpec kImageSpec{
    {"--plan", "--insecure"},
    {"--base", "--image", "--tag", "--layer", "--entrypoint", "--cmd", "--env", "--label", "--workdir", "--user",
     "--expose", "--platform", "--compression", "--compression-level", "--username", "--ca-file", "--output",
     "--junit", "--dotenv"}};

const std::set<std::string> kRegistryOptions{"--username", "--ca-file", "--insecure"};
const std::set<std::string> kRunOptions{"--plan", "--output", "--junit", "--dotenv"};
const std::set<std::string> kBuildOptions{"--base", "--image", "--tag", "--layer", "--entrypoint", "--cmd",
                                          "--env", "--label", "--workdir", "--user", "--expose", "--platform",
                                          "--compression", "--compression-level"};

// A flag's value goes into `with` literally: ${ would otherwise start a template.
std::string literal(const std::string& value) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, 2, "${") == 0) out += "$";
    out += value[i];
  }
  return out;
}

// Refuses options that belong to another subcommand.
void check_options(const std::vector<std::string>& argv, const std::string& sub, const std::set<std::string>& allowed) {
  for (const auto& a : argv) {
    if (a.rfind("--", 0) != 0) continue;
    std::string name = a.substr(0, a.find('='));
    if (kImageSpec.flags.count(name) + kImageSpec.options.count(name) && !allowed.count(name))
      throw InputError("hoist image " + sub + ": " + name + " is not an option of this subcommand");
  }
}

std::pair<std::string, std::string> split_assignment(const std::string& flag, const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError("hoist image build: " + flag + " expects K=V, got '" + arg + "'");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

// --entrypoint '["/app/server","-v"]' (a JSON array), or one word per --entrypoint.
YAML::Node argv_list(const std::string& flag, const std::vector<std::string>& values) {
  YAML::Node list(YAML::NodeType::Sequence);
  if (values.size() == 1 && !values[0].empty() && values[0][0] == '[') {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(values[0]);
    } catch (const nlohmann::json::exception&) {
      throw InputError("hoist image build: " + flag + " is not a JSON array of strings: " + values[0]);
    }
    for (const auto& e : j) {
      if (!e.is_string()) throw InputError("hoist image build: " + flag + " must list strings: " + values[0]);
      list.push_back(literal(e.get<std::string>()));
    }
    return list;
  }
  for (const auto& v : values) list.push_back(literal(v));
  return list;
}

// Registry access for every subcommand: --username (else $HOIST_REGISTRY_USERNAME), the password only from
// $HOIST_REGISTRY_PASSWORD (never a flag: flags are visible to every user of the machine), --ca-file, --insecure.
void registry_keys(const Args& args, const Console& console, YAML::Node& with) {
  auto env = [&](const char* name) { return value_or_empty(console.env, name); };
  if (auto u = args.value("--username")) with["username"] = literal(*u);
  else if (!env("HOIST_REGISTRY_USERNAME").empty()) with["username"] = "${HOIST_REGISTRY_USERNAME}";
  if (!env("HOIST_REGISTRY_PASSWORD").empty()) with["password"] = "${HOIST_REGISTRY_PASSWORD}";
  if (auto c = args.value("--ca-file")) with["ca_file"] = literal(*c);
  if (args.flag("--insecure")) with["insecure"] = "true";
}

YAML::Node build_with(const Args& args) {
  YAML::Node with(YAML::NodeType::Map);
  auto copy = [&](const char* flag, const char* key) {
    if (auto v = args.value(flag)) with[key] = literal(*v);
  };
  copy("--base", "base");
  copy("--image", "image");
  copy("--workdir", "workdir");
  copy("--user", "user");
  copy("--compression", "compression");
  copy("--compression-level", "compression_level");
  for (const char* required : {"base", "image"})
    if (!with[required]) throw InputError(std::string("hoist image build: --") + required + " is required");
  for (const auto& t : args.values("--tag")) with["tags"].push_back(literal(t));
  for (const auto& l : args.values("--layer")) {
    auto colon = l.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == l.size())
      throw InputError("hoist image build: --layer expects SRC:DEST, got '" + l + "'");
    YAML::Node layer(YAML::NodeType::Map);
    layer["src"] = literal(l.substr(0, colon));
    layer["dest"] = literal(l.substr(colon + 1));
    with["layers"].push_back(layer);
  }
  if (!args.values("--entrypoint").empty()) with["entrypoint"] = argv_list("--entrypoint", args.values("--entrypoint"));
  if (!args.values("--cmd").empty()) with["cmd"] = argv_list("--cmd", args.values("--cmd"));
  for (const auto& e : args.values("--env")) {
    auto [k, v] = split_assignment("--env", e);
    with["env"][literal(k)] = literal(v);
  }
  for (const auto& e : args.values("--label")) {
    auto [k, v] = split_assignment("--label", e);
    with["labels"][literal(k)] = literal(v);
  }
  for (const auto& p : args.values("--expose")) with["expose"].push_back(literal(p));
  for (const auto& p : args.values("--platform")) with["platforms"].push_back(literal(p));
  return with;
}

// Runs `with` as the one step of a pipeline named after the subcommand.
int run_one_step(const std::string& sub, const std::string& kind_name, YAML::Node with, const Args& args,
                 Console& console) {
  return run_single_step("image " + sub, "image-" + sub, "image", kind_name, std::move(with), args, console);
}

int digest_command(const Args& args, Console& console) {
  if (args.positional().size() != 1) throw InputError("hoist image digest: give exactly one image reference");
  registry::Reference ref = registry::parse_reference(args.positional()[0]);
  image::RegistryAccess access;
  auto env = [&](const char* name) { return value_or_empty(console.env, name); };
  access.username = args.value("--username").value_or(env("HOIST_REGISTRY_USERNAME"));
  access.password = env("HOIST_REGISTRY_PASSWORD");
  access.ca_file = args.value("--ca-file").value_or("");
  access.insecure = args.flag("--insecure");
  PosixProcessRunner processes;  // docker credential helpers
  registry::RegistryClient client(image::client_options(access, {ref.registry}, {ref.registry}, console.env, processes,
                                                        [&](std::string_view l) { console.err << l << "\n"; }));
  console.out << client.get_manifest(ref).digest << "\n";
  return to_int(ExitCode::ok);
}

std::set<std::string> with_common(std::set<std::string> s, bool run_options = true) {
  s.insert(kRegistryOptions.begin(), kRegistryOptions.end());
  if (run_options) s.insert(kRunOptions.begin(), kRunOptions.end());
  return s;
}

}  // namespace

const ArgSpec& image_arg_spec() { return kImageSpec; }

int image_command(const std::vector<std::string>& argv, Console& console) {
  if (argv.empty() || argv[0].rfind("-", 0) == 0)
    throw InputError("hoist image: give a subcommand: build, tag, copy or digest (see hoist image --help)");
  const std::string sub = argv[0];
  std::vector<std::string> rest(argv.begin() + 1, argv.end());
  if (sub == "build") {
    check_options(rest, sub, with_common(kBuildOptions));
    Args args(rest, kImageSpec, "image build");
    if (!args.positional().empty())
      throw InputError("hoist image build: unexpected argument '" + args.positional()[0] + "'");
    YAML::Node with = build_with(args);
    registry_keys(args, console, with);
    return run_one_step(sub, "image/build", with, args, console);
  }
  if (sub == "tag") {
    check_options(rest, sub, with_common({"--tag"}));
    Args args(rest, kImageSpec, "image tag");
    if (args.positional().size() != 1)
      throw InputError("hoist image tag: give exactly one image (hoist image tag REF --tag T)");
    if (args.values("--tag").empty()) throw InputError("hoist image tag: give at least one --tag");
    YAML::Node with(YAML::NodeType::Map);
    with["image"] = literal(args.positional()[0]);
    for (const auto& t : args.values("--tag")) with["tags"].push_back(literal(t));
    registry_keys(args, console, with);
    return run_one_step(sub, "image/tag", with, args, console);
  }
  if (sub == "copy") {
    check_options(rest, sub, with_common({}));
    Args args(rest, kImageSpec, "image copy");
    if (args.positional().size() != 2)
      throw InputError("hoist image copy: give the source and the destination (hoist image copy SRC DST)");
    YAML::Node with(YAML::NodeType::Map);
    with["from"] = literal(args.positional()[0]);
    with["to"] = literal(args.positional()[1]);
    registry_keys(args, console, with);
    return run_one_step(sub, "image/copy", with, args, console);
  }
  if (sub == "digest") {
    check_options(rest, sub, with_common({}, false));
    Args args(rest, kImageSpec, "image digest");
    return digest_command(args, console);
  }
  throw InputError("hoist image: unknown subcommand '" + sub + "' (build, tag, copy or digest)");
}

}  // namespace hoist
