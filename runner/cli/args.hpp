#pragma once
// A small command-line parser for hoist's subcommands: `--flag`, `--opt VALUE`, `--opt=VALUE`, repeatable options,
// and positional arguments. Unknown options are input errors with a did-you-mean.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hoist {

struct ArgSpec {
  std::set<std::string> flags;       // "--plan"
  std::set<std::string> options;     // "--output" (takes a value; may repeat)
};

class Args {
 public:
  // Throws InputError for an unknown option or a missing value. `command` names the subcommand in messages.
  Args(const std::vector<std::string>& argv, const ArgSpec& spec, const std::string& command);

  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;  // the last one given
  std::vector<std::string> values(const std::string& name) const;   // every one, in order
  // An option that may be given once: nullopt when absent; InputError (exit 2) naming both values when repeated.
  std::optional<std::string> single(const std::string& name) const;
  // Every option given, as (name, value), in command-line order (for options whose meaning depends on their place,
  // such as each of `hoist bump`'s edits belonging to the --file before it).
  const std::vector<std::pair<std::string, std::string>>& in_order() const { return in_order_; }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::set<std::string> flags_;
  std::map<std::string, std::vector<std::string>> options_;
  std::vector<std::string> positional_;
  std::vector<std::pair<std::string, std::string>> in_order_;
  std::string command_;
};

}  // namespace hoist
