#pragma once
// The pipeline model: what a pipelines/*.yaml file says, after loading and before any variable is resolved.
// Strings that may hold ${...} references are kept as Text, with the place they came from, so that validation and
// run-time errors can point at them.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runner/util/diagnostics.hpp"

namespace hoist {

// A string from the pipeline file that may contain ${...} references.
struct Text {
  std::string value;
  Location loc;         // where the scalar starts
  bool quoted = false;  // a quoted scalar starts one column before its text
};

// Plan says exactly what each step would do and changes nothing; apply does it.
enum class Mode { apply, plan };

enum class When { on_success, on_failure, always };
const char* to_string(When w);

struct RetryPolicy {
  int count = 0;                                      // extra attempts after the first
  std::chrono::milliseconds delay{1000};              // before the first retry; doubles each time
};

struct Step {
  std::string id;
  Location loc;                 // the step's mapping
  std::string kind;             // "run" for run steps, else the `uses` value ("image/build", ...)
  Location kind_loc;
  Text run;                     // the shell command of a run step
  YAML::Node with;              // the raw `with` mapping (null when absent); scalars may hold ${...}
  std::vector<std::string> needs;
  std::vector<Location> needs_locs;
  std::vector<std::pair<std::string, Text>> env;
  std::optional<Text> working_dir;
  std::optional<std::chrono::milliseconds> timeout;
  RetryPolicy retries;
  When when = When::on_success;
  bool needs_given = false;     // `needs:` was written (possibly empty)
};

// What a failed notification does: `warn` (the default) reports it and changes nothing; `fail` fails.
enum class OnError { warn, fail };

// A pipeline-level notification (`notify:` on_success / on_failure / on_promotion), posted after the run.
struct NotifyHook {
  std::string event;            // "on_success", "on_failure" or "on_promotion"
  Location loc;                 // the hook's mapping
  Text webhook;                 // a secret: variables used in it are masked like secrets
  std::optional<Text> text;     // may use ${steps.ID.OUTPUT} of any step; a default names the outcome when absent
  OnError on_error = OnError::warn;
};

struct Pipeline {
  std::string file;             // as given on the command line
  int version = 1;
  std::string name;
  std::vector<std::pair<std::string, Text>> vars;  // in file order
  std::set<std::string> secrets;                   // names listed under `secrets:`
  std::vector<Step> steps;                         // in file order
  std::vector<NotifyHook> notify;                  // pipeline-level hooks, in file order

  const Step* find(const std::string& id) const;
};

}  // namespace hoist
