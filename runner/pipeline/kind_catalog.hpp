#pragma once
// What loading and checking a pipeline needs to know of the step kinds: each kind's rules for its `with` and its
// outputs, found by name. The executor's StepKind is a KindRules and its StepRegistry a KindCatalog; this header
// lets runner/pipeline/ check a pipeline without depending on runner/exec/ (see ARCHITECTURE.md, rules of
// dependency).

#include <string>
#include <vector>

#include "runner/pipeline/pipeline.hpp"
#include "runner/util/diagnostics.hpp"

namespace hoist {

struct OutputSpec {
  std::vector<std::string> names;  // outputs the kind always sets
  bool open = false;               // true: the kind may set outputs of any name (run steps, via $HOIST_OUTPUT)
};

class KindRules {
 public:
  virtual ~KindRules() = default;
  virtual std::string name() const = 0;
  // Checks `with` (keys, types, required values) and reports every problem with its location.
  virtual void validate(const Step& step, const std::string& file, Diagnostics& diags) const = 0;
  virtual OutputSpec outputs() const { return {}; }
  // Keys of `with` whose values are secrets (a webhook URL): the loader adds the variables they use to the
  // pipeline's secrets, so their values are masked everywhere.
  virtual std::vector<std::string> secret_keys() const { return {}; }
};

class KindCatalog {
 public:
  virtual ~KindCatalog() = default;
  virtual const KindRules* find(const std::string& name) const = 0;  // null when no kind has that name
  virtual std::vector<std::string> names() const = 0;
};

}  // namespace hoist
