#include "runner/pipeline/pipeline_check.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "runner/pipeline/pipeline_graph.hpp"
#include "runner/pipeline/template.hpp"
#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/did_you_mean.hpp"

namespace hoist {
namespace {

// A name the environment of a CI job could give: upper-case letters, digits and '_', not starting with a digit.
bool environment_style(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) ||
                                                                   std::isdigit(static_cast<unsigned char>(c)) ||
                                                                   c == '_'; });
}

void walk_yaml(const YAML::Node& node, const std::string& file, const std::function<void(const Text&)>& visit) {
  if (!node) return;
  if (node.IsScalar()) {
    visit(Text{node.Scalar(), location_of(node, file), is_quoted(node)});
  } else if (node.IsSequence()) {
    for (const auto& item : node) walk_yaml(item, file, visit);
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      walk_yaml(it->first, file, visit);
      walk_yaml(it->second, file, visit);
    }
  }
}

std::string join_ids(const Pipeline& p, const std::vector<size_t>& cycle) {
  std::string out;
  for (size_t i = 0; i < cycle.size(); ++i) out += (i ? " → " : "") + p.steps[cycle[i]].id;
  return out;
}

class Checker {
 public:
  Checker(const Pipeline& p, const KindCatalog& kinds, const std::set<std::string>& defined, Diagnostics& diags,
          std::set<std::string>* given_at_run_time)
      : p_(p), kinds_(kinds), defined_(defined), diags_(diags), given_at_run_time_(given_at_run_time), graph_(p) {
    for (const auto& [name, _] : p.vars) var_names_.insert(name);
    for (const auto& s : p.steps) step_ids_.push_back(s.id);
  }

  void run() {
    check_ids();
    check_needs();
    check_cycles();
    check_var_cycles();
    for (const auto& [name, text] : p_.vars) check_text(text, nullptr);
    for (size_t i = 0; i < p_.steps.size(); ++i) {
      const Step& s = p_.steps[i];
      if (s.id.empty()) continue;
      for_each_text(s, p_.file, [&](const Text& t) { check_text(t, &i); });
    }
    // Pipeline-level notify hooks run after every step: they may use any step's outputs.
    for (const auto& hook : p_.notify) {
      check_text(hook.webhook, nullptr, true);
      if (hook.text) check_text(*hook.text, nullptr, true);
    }
  }

 private:
  void check_ids() {
    std::map<std::string, const Step*> first;
    for (const auto& s : p_.steps) {
      if (s.id.empty()) continue;
      auto [it, inserted] = first.emplace(s.id, &s);
      if (!inserted)
        diags_.add(s.loc, "duplicate step id '" + s.id + "' (first defined at line " +
                              std::to_string(it->second->loc.line) + ")");
    }
  }

  void check_needs() {
    for (const auto& s : p_.steps) {
      for (size_t k = 0; k < s.needs.size(); ++k) {
        const std::string& need = s.needs[k];
        Location loc = k < s.needs_locs.size() ? s.needs_locs[k] : s.loc;
        if (need == s.id)
          diags_.add(loc, "step '" + s.id + "' needs itself");
        else if (!p_.find(need))
          diags_.add(loc, "step '" + s.id + "' needs unknown step '" + need + "'" + did_you_mean_suffix(need, step_ids_));
      }
    }
  }

  void check_cycles() {
    std::set<std::set<size_t>> reported;
    for (const auto& cycle : graph_.cycles()) {
      if (cycle.size() <= 2) continue;  // a step needing itself is reported by check_needs
      std::set<size_t> members(cycle.begin(), cycle.end());
      if (!reported.insert(members).second) continue;
      diags_.add(p_.steps[cycle.front()].loc, "steps need each other in a cycle: " + join_ids(p_, cycle));
    }
  }

  // Variables may use each other (in any order); a variable using its own name means the value from below it
  // (built-ins or the environment), as in PATH: "${PATH}:/opt/bin".
  void check_var_cycles() {
    std::map<std::string, std::vector<std::string>> uses;
    std::map<std::string, const Text*> texts;
    for (const auto& [name, text] : p_.vars) {
      texts[name] = &text;
      for (const auto& ref : parse_template(text.value).references())
        if (ref.kind == Reference::Kind::variable && ref.name != name && var_names_.count(ref.name))
          uses[name].push_back(ref.name);
    }
    std::map<std::string, int> state;  // 0 new, 1 on path, 2 done
    std::vector<std::string> path;
    std::set<std::string> reported;
    std::function<void(const std::string&)> visit = [&](const std::string& n) {
      state[n] = 1;
      path.push_back(n);
      for (const auto& u : uses[n]) {
        if (state[u] == 1) {
          auto start = std::find(path.begin(), path.end(), u);
          std::string chain;
          for (auto it = start; it != path.end(); ++it) chain += *it + " → ";
          if (reported.insert(u).second)
            diags_.add(texts[u]->loc, "variables are defined in terms of each other in a cycle: " + chain + u);
        } else if (state[u] == 0) {
          visit(u);
        }
      }
      path.pop_back();
      state[n] = 2;
    };
    for (const auto& [name, _] : p_.vars)
      if (state[name] == 0) visit(name);
  }

  void check_text(const Text& text, const size_t* step_index, bool after_run = false) {
    ParsedTemplate t = parse_template(text.value);
    for (const auto& [offset, message] : t.errors) diags_.add(location_in(text, offset), message);
    for (const auto& ref : t.references()) {
      Location loc = location_in(text, ref.offset);
      if (ref.kind == Reference::Kind::variable)
        check_variable(ref, loc);
      else
        check_step_output(ref, loc, step_index, after_run);
    }
  }

  void check_variable(const Reference& ref, const Location& loc) {
    if (var_names_.count(ref.name) || defined_.count(ref.name)) return;
    std::vector<std::string> known(var_names_.begin(), var_names_.end());
    known.insert(known.end(), defined_.begin(), defined_.end());
    const auto near_miss = did_you_mean(ref.name, known);
    if (given_at_run_time_ && !near_miss && environment_style(ref.name)) {
      given_at_run_time_->insert(ref.name);
      return;
    }
    diags_.add(loc, "undefined variable '" + ref.name + "'" + did_you_mean_suffix(ref.name, known) +
                        " (define it under vars, pass --var " + ref.name + "=..., or set it in the environment)");
  }

  // OUTPUT is one of SPEC's names, where a name ending in "_N" stands for NAME_1, NAME_2, ... (manifest/bump's
  // file_N: one per file of its edits).
  static bool has_output(const OutputSpec& spec, const std::string& output) {
    for (const auto& name : spec.names) {
      if (name == output) return true;
      if (name.size() < 2 || name.compare(name.size() - 2, 2, "_N") != 0) continue;
      const std::size_t stem = name.size() - 1;  // "file_"
      if (output.size() <= stem || output.compare(0, stem, name, 0, stem) != 0) continue;
      const std::string n = output.substr(stem);
      if (n[0] != '0' && n.find_first_not_of("0123456789") == std::string::npos) return true;
    }
    return false;
  }

  void check_step_output(const Reference& ref, const Location& loc, const size_t* step_index, bool after_run) {
    if (!step_index && !after_run) {
      diags_.add(loc, "'" + ref.spelled + "': vars are resolved before any step runs, so they cannot use step outputs");
      return;
    }
    auto target = graph_.index_of(ref.name);
    if (!target) {
      diags_.add(loc, "'" + ref.spelled + "' names unknown step '" + ref.name + "'" +
                          did_you_mean_suffix(ref.name, step_ids_));
      return;
    }
    if (step_index && (*target == *step_index || !graph_.is_upstream(*step_index, *target))) {
      const Step& user = p_.steps[*step_index];
      diags_.add(loc, "'" + ref.spelled + "': step '" + ref.name + "' is not upstream of '" + user.id +
                          "' (add it to needs)");
      return;
    }
    const Step& producer = p_.steps[*target];
    const KindRules* kind = kinds_.find(producer.kind);
    if (!kind) return;  // the unknown kind is reported by the loader
    OutputSpec spec = kind->outputs();
    if (spec.open) return;
    if (!has_output(spec, ref.output)) {
      std::string list;
      for (const auto& n : spec.names) list += (list.empty() ? "" : ", ") + n;
      diags_.add(loc, "'" + ref.spelled + "': step '" + ref.name + "' (" + producer.kind + ") has no output '" +
                          ref.output + "'" + (list.empty() ? "" : "; it has " + list));
    }
  }

  const Pipeline& p_;
  const KindCatalog& kinds_;
  const std::set<std::string>& defined_;
  Diagnostics& diags_;
  std::set<std::string>* given_at_run_time_;
  PipelineGraph graph_;
  std::set<std::string> var_names_;
  std::vector<std::string> step_ids_;
};

}  // namespace

void for_each_text(const Step& step, const std::string& file, const std::function<void(const Text&)>& visit) {
  if (!step.run.value.empty()) visit(step.run);
  for (const auto& [_, text] : step.env) visit(text);
  if (step.working_dir) visit(*step.working_dir);
  walk_yaml(step.with, file, visit);
}

void check_pipeline(const Pipeline& pipeline, const KindCatalog& kinds, const std::set<std::string>& defined,
                    Diagnostics& diags, std::set<std::string>* given_at_run_time) {
  Checker(pipeline, kinds, defined, diags, given_at_run_time).run();
}

}  // namespace hoist
