#pragma once
// The one place where the step kinds Hoist ships are registered: the command line hands this registry to the loader
// and the executor, which know kinds only through the StepKind interface.

#include "runner/exec/step_registry.hpp"

namespace hoist {

// Every kind Hoist ships.
const StepRegistry& builtin_kinds();

}  // namespace hoist
