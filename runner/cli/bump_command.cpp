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
                         "--digest", "--cache-dir", "--ca-file", "--ssh-key", "--timeout", "--signing-key",
                         "--signing-format", "--output", "--junit", "--dotenv"}};

// Command-line values are literal: ${...} belongs to pipeline files. The step's `with` is rendered like a
// pipeline's, so every "${" is written as its escape "$${", which rendering turns back into "${".
std::string literal(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) out += '$';
    out += text[i];
  }
  return out;
}

// "KEY=VALUE" as given to --set or --marker, split at the first '=' outside brackets and double quotes, so a key
// path with a selector (images[name=web].newTag) or a quoted key ("a=b".c) reads as it does in a pipeline file.
std::pair<std::string, std::string> split_assignment(const std::string& flag, const std::string& arg) {
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < arg.size(); ++i) {
    char c = arg[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      if (depth > 0) --depth;
    } else if (c == '=' && depth == 0) {
      if (i == 0) break;
      return {arg.substr(0, i), arg.substr(i + 1)};
    }
  }
  throw InputError("hoist bump: " + flag + " expects KEY=VALUE, got '" + arg + "'");
}

bool is_edit(const std::string& flag) { return flag == "--set" || flag == "--image" || flag == "--marker"; }

// The edits of one file: each --set/--image/--marker belongs to the --file before it.
YAML::Node file_edits(const std::string& file) {
  YAML::Node node(YAML::NodeType::Map);
  node["file"] = literal(file);
  return node;
}

void add_edit(YAML::Node& target, const std::string& flag, const std::string& arg) {
  if (flag == "--image") {
    target["images"].push_back(literal(arg));
    return;
  }
  auto [k, v] = split_assignment(flag, arg);
  const char* key = flag == "--set" ? "set" : "markers";
  if (target[key] && target[key][literal(k)])
    throw InputError("hoist bump: " + flag + " '" + k + "' given twice for the same --file");
  target[key][literal(k)] = literal(v);
}

YAML::Node with_from(const Args& args) {
  YAML::Node with(YAML::NodeType::Map);
  auto copy = [&](const char* flag, const char* key) {
    if (auto v = args.single(flag)) with[key] = literal(*v);
  };
  copy("--repo", "repo");
  copy("--branch", "branch");
  copy("--message", "message");
  copy("--author", "author");
  copy("--digest", "digest");
  copy("--cache-dir", "cache_dir");
  copy("--ca-file", "ca_file");
  copy("--ssh-key", "ssh_key");
  copy("--timeout", "timeout");
  copy("--signing-key", "signing_key");
  copy("--signing-format", "signing_format");
  for (const char* flag : {"--output", "--junit", "--dotenv"}) args.single(flag);  // read later; once only
  if (args.flag("--create")) with["create"] = "true";
  if (args.flag("--all")) with["all"] = "true";

  std::vector<YAML::Node> files;
  std::size_t current = 0;  // the --file the next edit belongs to; a file named again gathers its edits in one place
  for (const auto& [flag, value] : args.in_order()) {
    if (flag == "--file") {
      current = 0;
      while (current < files.size() && files[current]["file"].Scalar() != literal(value)) ++current;
      if (current == files.size()) files.push_back(file_edits(value));
    } else if (is_edit(flag)) {
      if (files.empty())
        throw InputError("hoist bump: " + flag + " '" + value + "' comes before any --file; each edit belongs to "
                         "the --file before it");
      add_edit(files[current], flag, value);
    }
  }
  for (const char* required : {"repo", "branch"})
    if (!with[required]) throw InputError(std::string("hoist bump: --") + required + " is required");
  if (files.empty()) throw InputError("hoist bump: --file is required");
  for (const auto& f : files)
    if (f.size() == 1)
      throw InputError("hoist bump: give at least one edit after --file " + f["file"].Scalar() +
                       ": --set KEY.PATH=VALUE, --image REPO:TAG or --marker NS:POLICY=VALUE");
  if (files.size() == 1) {
    for (auto it = files[0].begin(); it != files[0].end(); ++it) with[it->first.Scalar()] = it->second;
  } else {
    for (const auto& f : files) with["edits"].push_back(f);
  }
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
