#include "runner/pipeline/pipeline_loader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "runner/pipeline/input_text.hpp"
#include "runner/pipeline/notify_checks.hpp"
#include "runner/pipeline/paths_key.hpp"
#include "runner/pipeline/template.hpp"
#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/did_you_mean.hpp"
#include "runner/util/duration.hpp"
#include "runner/util/whole_file.hpp"

namespace hoist {
namespace {

const std::vector<std::string> kPipelineKeys = {"version", "name", "vars", "secrets", "steps", "notify", "paths"};
const std::vector<std::string> kNotifyEvents = {"on_success", "on_failure", "on_promotion"};
const std::vector<std::string> kStepKeys = {"id",  "run", "uses",        "with",    "needs",
                                            "env", "working_dir", "timeout", "retries", "when"};
const std::vector<std::string> kRetryKeys = {"count", "delay"};
const std::vector<std::string> kWhenValues = {"on_success", "on_failure", "always"};

class Loader {
 public:
  Loader(const std::string& file, const KindCatalog& kinds, Diagnostics& diags)
      : file_(file), kinds_(kinds), diags_(diags) {}

  Pipeline load(std::string_view text) {
    Pipeline p;
    p.file = file_;
    if (!check_input_text(text, file_, "pipeline file", diags_)) return p;
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      diags_.add(Location{file_, e.mark.line + 1, e.mark.column + 1}, "invalid YAML: " + yaml_error_message(e, text));
      return p;
    }
    if (!root.IsMap()) {
      diags_.add(root.IsDefined() && !root.IsNull() ? location_of(root, file_) : Location{file_, 1, 1},
                 "a pipeline file must be a mapping with 'version', 'name' and 'steps', got " + yaml_type_name(root));
      return p;
    }
    check_keys(root, kPipelineKeys, "pipeline", file_, diags_);
    read_header(root, p);
    read_vars(root, p);
    if (auto secrets = root["secrets"]) {
      if (auto names = read_string_list(secrets, "secrets", file_, diags_)) p.secrets.insert(names->begin(), names->end());
    }
    read_steps(root, p);
    read_notify(root, p);
    read_paths_key(root, file_, diags_);  // checked here with the rest; only `hoist ci` reads them
    return p;
  }

 private:
  Text text_of(const YAML::Node& node) {
    return Text{node.Scalar(), location_of(node, file_), is_quoted(node)};
  }

  void read_header(const YAML::Node& root, Pipeline& p) {
    if (auto v = root["version"]) {
      if (auto n = read_integer(v, "version", file_, diags_)) {
        if (*n != 1) diags_.add(location_of(v, file_), "unsupported pipeline version " + std::to_string(*n) + " (this hoist reads version 1)");
      }
    } else {
      diags_.add(Location{file_, 1, 1}, "missing 'version' (write 'version: 1')");
    }
    if (auto n = root["name"]) {
      if (auto s = read_string(n, "name", file_, diags_)) p.name = *s;
    }
  }

  void read_vars(const YAML::Node& root, Pipeline& p) {
    auto vars = root["vars"];
    if (!vars || vars.IsNull() || !expect_map(vars, "vars", file_, diags_)) return;
    check_duplicate_keys(vars, "vars", file_, diags_);
    for (auto it = vars.begin(); it != vars.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string name = it->first.Scalar();
      if (!is_variable_name(name)) {
        diags_.add(location_of(it->first, file_),
                   "invalid variable name '" + name + "' (letters, digits and '_'; not starting with a digit)");
        continue;
      }
      if (!it->second.IsScalar()) {
        diags_.add(location_of(it->second, file_), "variable '" + name + "' must be a string, got " + yaml_type_name(it->second));
        continue;
      }
      p.vars.emplace_back(name, text_of(it->second));
    }
  }

  void read_steps(const YAML::Node& root, Pipeline& p) {
    auto steps = root["steps"];
    if (!steps) {
      diags_.add(Location{file_, 1, 1}, "missing 'steps'");
      return;
    }
    if (!steps.IsSequence()) {
      diags_.add(location_of(steps, file_), "'steps' must be a list of steps, got " + yaml_type_name(steps));
      return;
    }
    if (steps.size() == 0) diags_.add(location_of(steps, file_), "'steps' is empty");
    for (const auto& node : steps) {
      if (!node.IsMap()) {
        diags_.add(location_of(node, file_), "a step must be a mapping, got " + yaml_type_name(node));
        continue;
      }
      p.steps.push_back(read_step(node));
      mark_secret_inputs(p.steps.back(), p);
    }
  }

  // Variables used in a secret input (a webhook URL) become secrets: masked in every line Hoist prints.
  static void add_secret_references(const std::string& text, Pipeline& p) {
    for (const auto& ref : parse_template(text).references())
      if (ref.kind == Reference::Kind::variable) p.secrets.insert(ref.name);
  }

  void mark_secret_inputs(const Step& s, Pipeline& p) {
    const KindRules* kind = s.kind == "run" ? nullptr : kinds_.find(s.kind);
    if (!kind || !s.with || !s.with.IsMap()) return;
    for (const auto& key : kind->secret_keys())
      if (auto v = s.with[key]; v && v.IsScalar()) add_secret_references(v.Scalar(), p);
  }

  // notify: {on_success: [{webhook, text, on_error}], on_failure: [...], on_promotion: [...]}
  void read_notify(const YAML::Node& root, Pipeline& p) {
    auto notify = root["notify"];
    if (!notify || notify.IsNull() || !expect_map(notify, "notify", file_, diags_)) return;
    check_keys(notify, kNotifyEvents, "notify", file_, diags_);
    for (const auto& event : kNotifyEvents) {
      for (auto& h : read_notify_hooks(notify[event], event, file_, diags_)) {
        add_secret_references(h.webhook.value, p);
        p.notify.push_back(std::move(h));
      }
    }
  }

  Step read_step(const YAML::Node& node) {
    Step s;
    s.loc = location_of(node, file_);
    check_keys(node, kStepKeys, "step", file_, diags_);
    if (auto id = node["id"]) {
      if (auto v = read_string(id, "id", file_, diags_)) {
        s.id = *v;
        if (!is_step_id(s.id))
          diags_.add(location_of(id, file_), "invalid step id '" + s.id + "' (letters, digits, '_' and '-')");
      }
    } else {
      diags_.add(s.loc, "step has no 'id'");
    }
    read_kind(node, s);
    if (auto needs = node["needs"]) {
      s.needs_given = true;
      if (auto list = read_string_list(needs, "needs", file_, diags_, true)) {
        s.needs = *list;
        if (needs.IsScalar()) {
          s.needs_locs.push_back(location_of(needs, file_));
        } else {
          for (const auto& item : needs) s.needs_locs.push_back(location_of(item, file_));
        }
      }
    }
    if (auto env = node["env"]; env && expect_map(env, "env", file_, diags_)) {
      check_duplicate_keys(env, "env", file_, diags_);
      for (auto it = env.begin(); it != env.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        if (!is_variable_name(it->first.Scalar())) {
          diags_.add(location_of(it->first, file_), "invalid environment variable name '" + it->first.Scalar() + "'");
        } else if (read_string(it->second, it->first.Scalar(), file_, diags_)) {
          s.env.emplace_back(it->first.Scalar(), text_of(it->second));
        }
      }
    }
    if (auto wd = node["working_dir"]) {
      if (read_string(wd, "working_dir", file_, diags_)) s.working_dir = text_of(wd);
    }
    if (auto t = node["timeout"]) s.timeout = read_duration(t, "timeout");
    if (auto r = node["retries"]) read_retries(r, s);
    if (auto w = node["when"]) {
      if (auto v = read_string(w, "when", file_, diags_)) {
        if (*v == "on_success") s.when = When::on_success;
        else if (*v == "on_failure") s.when = When::on_failure;
        else if (*v == "always") s.when = When::always;
        else
          diags_.add(location_of(w, file_), "'when' must be on_success, on_failure or always, got '" + *v + "'" +
                                                did_you_mean_suffix(*v, kWhenValues));
      }
    }
    return s;
  }

  void read_kind(const YAML::Node& node, Step& s) {
    auto run = node["run"];
    auto uses = node["uses"];
    auto with = node["with"];
    std::string what = s.id.empty() ? "step" : "step '" + s.id + "'";
    if (run && uses) {
      diags_.add(location_of(uses, file_), what + " has both 'run' and 'uses'; give one");
      return;
    }
    if (!run && !uses) {
      diags_.add(s.loc, what + " needs 'run' (a shell command) or 'uses' (a step kind)");
      return;
    }
    if (run) {
      s.kind = "run";
      s.kind_loc = location_of(run, file_);
      if (read_string(run, "run", file_, diags_)) s.run = text_of(run);
      if (with) diags_.add(location_of(with, file_), "'with' goes with 'uses'; a run step takes env and working_dir");
      return;
    }
    auto kind_name = read_string(uses, "uses", file_, diags_);
    if (!kind_name) return;
    s.kind = *kind_name;
    s.kind_loc = location_of(uses, file_);
    if (with) {
      if (!with.IsNull() && !expect_map(with, "with", file_, diags_)) return;
      if (!within_expanded_size(with)) {  // before anything walks it: see within_expanded_size
        diags_.add(location_of(with, file_), "'with' holds more than " + std::to_string(kMaxExpandedNodes) +
                                                 " values once its aliases are expanded");
        return;
      }
      s.with = with;
    }
    const KindRules* kind = s.kind == "run" ? nullptr : kinds_.find(s.kind);
    if (!kind) {
      std::vector<std::string> names = kinds_.names();
      std::erase(names, std::string("run"));
      diags_.add(s.kind_loc, "unknown step kind '" + s.kind + "'" + did_you_mean_suffix(s.kind, names));
      return;
    }
    kind->validate(s, file_, diags_);
  }

  std::optional<std::chrono::milliseconds> read_duration(const YAML::Node& node, const std::string& key) {
    auto text = read_string(node, key, file_, diags_);
    if (!text) return std::nullopt;
    auto d = parse_duration(*text);
    if (!d) {
      diags_.add(location_of(node, file_),
                 "'" + key + "' must be a duration like 30s, 10m or 1h30m, got '" + *text + "'");
    }
    return d;
  }

  void read_retries(const YAML::Node& node, Step& s) {
    YAML::Node count_node;
    count_node.reset(node);
    if (node.IsMap()) {
      check_keys(node, kRetryKeys, "retries", file_, diags_);
      if (auto d = node["delay"]) {
        if (auto v = read_duration(d, "delay")) s.retries.delay = *v;
      }
      if (!node["count"]) {
        diags_.add(location_of(node, file_), "'retries' needs 'count'");
        return;
      }
      count_node.reset(node["count"]);
    }
    if (auto n = read_integer(count_node, "retries", file_, diags_)) {
      if (*n < 0 || *n > 100)
        diags_.add(location_of(count_node, file_), "'retries' must be between 0 and 100, got " + std::to_string(*n));
      else
        s.retries.count = static_cast<int>(*n);
    }
  }

  const std::string& file_;
  const KindCatalog& kinds_;
  Diagnostics& diags_;
};

}  // namespace

Pipeline load_pipeline_text(std::string_view text, const std::string& file, const KindCatalog& kinds,
                            Diagnostics& diags) {
  return Loader(file, kinds, diags).load(text);
}

Pipeline load_pipeline_file(const std::string& path, const KindCatalog& kinds, Diagnostics& diags) {
  std::optional<std::string> text = read_whole_file(path);
  if (!text) {
    diags.add(Location{path, 0, 0}, "cannot read pipeline file: " + std::string(std::strerror(errno)));
    Pipeline p;
    p.file = path;
    return p;
  }
  return load_pipeline_text(*text, path, kinds, diags);
}

}  // namespace hoist
