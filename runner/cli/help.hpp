#pragma once
// The help text of every command, as one table: `hoist --help`, `hoist COMMAND --help`, `hoist help COMMAND`, the
// man page (`hoist man`) and the bash completion (`hoist completion bash`) are all generated from it, so they cannot
// disagree. To add a command, add one CommandHelp entry to the table in help.cpp (and the command to cli.cpp's
// dispatch table; a test checks every dispatched command has an entry that mentions each of its options).

#include <string>
#include <string_view>
#include <vector>

namespace hoist {

struct OptionHelp {
  std::string name;         // "--output"
  std::string value;        // the value's placeholder: "FILE", "K=V", or choices "text|json"; empty for a flag
  std::string description;  // one line
};

// What a command's positional arguments are, for completion.
enum class Operand { none, pipeline, command, shell, other };

struct CommandHelp {
  std::string name;                 // "run"; several words for subcommands ("image build")
  std::string synopsis;             // after "hoist ": "run PIPELINE [OPTION]..."
  std::string summary;              // one line, for the command list
  std::string description;          // paragraphs separated by blank lines; no line breaks inside a paragraph
  std::vector<OptionHelp> options;
  Operand operand = Operand::none;
  std::vector<std::string> subcommands = {};  // "image": build, tag, copy, digest (completed as the first word)
};

// Every command, in the order `hoist --help` lists them.
const std::vector<CommandHelp>& command_help();
const CommandHelp* find_command_help(std::string_view name);

// `hoist --help`: usage, the command list with summaries, exit codes.
std::string usage_text();
// `hoist COMMAND --help`: synopsis, description, options.
std::string command_help_text(const CommandHelp& command);

// The exit codes, one (code, meaning) per row; shared by --help and the man page.
const std::vector<std::pair<int, std::string>>& exit_code_help();

}  // namespace hoist
