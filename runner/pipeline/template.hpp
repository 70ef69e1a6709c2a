#pragma once
// ${...} references inside pipeline strings.
//   ${NAME}                 a variable: --var, then `vars`, then built-ins, then the process environment
//   ${steps.ID.OUTPUT}      an output of an upstream step
//   $${                     a literal "${"
//   $ not followed by {     left alone, so shell code like `echo $HOME` reaches the shell unchanged

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/pipeline/pipeline.hpp"
#include "runner/util/diagnostics.hpp"

namespace hoist {

struct Reference {
  enum class Kind { variable, step_output };
  Kind kind = Kind::variable;
  std::string name;    // the variable name, or the step id
  std::string output;  // the output name of a step_output reference
  size_t offset = 0;   // where "${" starts in the text
  std::string spelled; // "${...}" as written
};

struct TemplatePart {
  std::string literal;           // text before the reference (escapes already undone)
  std::optional<Reference> ref;  // empty for a trailing literal
};

struct ParsedTemplate {
  std::vector<TemplatePart> parts;
  std::vector<std::pair<size_t, std::string>> errors;  // offset, message (malformed references)
  std::vector<Reference> references() const;
};

ParsedTemplate parse_template(std::string_view text);

// Where `offset` of a Text is in its file (exact for single-line scalars).
Location location_in(const Text& text, size_t offset);

// Looks a reference up; returns nullopt when it cannot be resolved.
using Resolver = std::function<std::optional<std::string>(const Reference&)>;

// `[A-Za-z_][A-Za-z0-9_]*`: a variable's name. `[A-Za-z0-9_][A-Za-z0-9_-]*`: a step's id. Checked by hand, not
// with std::regex, whose matcher recurses once per character and overflows the stack on a long input.
bool is_variable_name(std::string_view name);
bool is_step_id(std::string_view id);

// Resolves `${NAME}` from `env` (which must outlive the resolver); step outputs do not resolve.
Resolver environment_resolver(const std::map<std::string, std::string>& env);

// Replaces every reference; throws InputError("<file:line:col>: undefined variable 'X'") for one that does not
// resolve (the location comes from `where` when given).
std::string render(const ParsedTemplate& t, const Resolver& resolve, const Text* where = nullptr);
std::string render(const Text& text, const Resolver& resolve);

}  // namespace hoist
