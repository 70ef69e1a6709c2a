#pragma once
// Variable values for one run. A name resolves from, in order: --var, the pipeline's `vars` (which may use other
// variables; a variable using its own name gets the value from below it), the built-ins, the process environment.

#include <map>
#include <optional>
#include <set>
#include <string>

#include "runner/pipeline/pipeline.hpp"
#include "runner/util/secrets.hpp"

namespace hoist {

class Variables {
 public:
  // Resolves every pipeline variable now. Throws InputError for a reference that does not resolve (check_pipeline
  // reports those, with all other problems, before this is built).
  Variables(const Pipeline& pipeline, std::map<std::string, std::string> overrides,
            std::map<std::string, std::string> builtins, std::map<std::string, std::string> environment);

  std::optional<std::string> get(const std::string& name) const;

  // The names that resolve besides the pipeline's own vars (for check_pipeline).
  std::set<std::string> outside_names() const;

  // What child processes see: the process environment, then built-ins, pipeline vars and --var on top.
  std::map<std::string, std::string> child_environment() const;

  // Adds to `masker` the value of every variable whose name says it is secret, or that `secrets:` lists.
  void add_secrets_to(SecretMasker& masker, const std::set<std::string>& declared) const;

 private:
  std::string resolve_var(const std::string& name, std::set<std::string>& resolving);
  std::optional<std::string> below_vars(const std::string& name) const;

  const Pipeline& pipeline_;
  std::map<std::string, std::string> overrides_, builtins_, environment_;
  std::map<std::string, std::string> resolved_;  // pipeline vars
};

// Parses "K=V" (as given to --var). Throws InputError naming the argument when malformed.
std::pair<std::string, std::string> parse_assignment(const std::string& arg);

}  // namespace hoist
