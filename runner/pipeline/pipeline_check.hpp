#pragma once
// Checks that need the whole pipeline, after loading: duplicate step ids, `needs` naming missing steps, dependency
// cycles (named), and every ${...} reference: undefined variables, variables defined in terms of each other in a
// cycle, and step outputs that are not upstream of where they are used or that the step kind never sets.

#include <functional>
#include <set>
#include <string>

#include "runner/pipeline/kind_catalog.hpp"
#include "runner/pipeline/pipeline.hpp"
#include "runner/util/diagnostics.hpp"

namespace hoist {

// `defined` holds every variable name that resolves besides the pipeline's own vars: --var names, built-ins and
// the process environment.
//
// `given_at_run_time` is for linting without the run-time environment (`hoist validate`, `hoist ci`): when not
// null, a reference to a variable that is not defined but could be given at run time — an environment-style name
// (A-Z, 0-9, _, not starting with a digit) that is not a near miss of a known name — is collected there instead
// of reported. A near miss ("REGISTY" beside a defined "REGISTRY") or another name stays an error with its place.
void check_pipeline(const Pipeline& pipeline, const KindCatalog& kinds, const std::set<std::string>& defined,
                    Diagnostics& diags, std::set<std::string>* given_at_run_time = nullptr);

// Calls `visit` for every string of the step that may hold references: run, env values, working_dir and every
// scalar of `with` (keys included), each with its place in the file.
void for_each_text(const Step& step, const std::string& file, const std::function<void(const Text&)>& visit);

}  // namespace hoist
