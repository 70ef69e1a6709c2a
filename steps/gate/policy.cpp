// Loading hoist.yaml into a Policy, with every problem reported at its place (see policy.hpp for the format).
#include "steps/gate/policy.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "runner/pipeline/input_text.hpp"
#include "runner/pipeline/notify_checks.hpp"
#include "runner/pipeline/yaml_check.hpp"
#include "runner/util/did_you_mean.hpp"
#include "runner/util/join.hpp"
#include "runner/util/duration.hpp"
#include "runner/util/errors.hpp"
#include "steps/registry/reference.hpp"

namespace hoist::promote {
namespace {

const std::vector<std::string> kTopKeys = {"environments", "image", "image_key", "image_at", "apps",
                                           "groups", "identities", "notify"};
const std::vector<std::string> kEnvironmentKeys = {"branch",     "file",  "after", "registry",
                                                   "repository", "image", "gate",  "pin"};
const std::vector<std::string> kGateKeys = {"approvals",    "approvers", "self_approval",  "freeze",
                                            "approval_ttl", "signed",    "allowed_signers"};

// "{123E4567-...}" and "123e4567-..." are the same Bitbucket UUID; anything that is not a UUID stays as it is.
std::string normalize_identity(std::string_view id) {
  std::string out(id);
  if (out.size() >= 2 && out.front() == '{' && out.back() == '}') out = out.substr(1, out.size() - 2);
  bool uuid = out.size() == 36;
  for (std::size_t i = 0; i < out.size() && uuid; ++i)
    uuid = (i == 8 || i == 13 || i == 18 || i == 23) ? out[i] == '-' : std::isxdigit(static_cast<unsigned char>(out[i]));
  if (!uuid) return std::string(id);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string replace_token(std::string pattern, std::string_view token, std::string_view with) {
  for (std::size_t at = pattern.find(token); at != std::string::npos; at = pattern.find(token, at + with.size()))
    pattern.replace(at, token.size(), with);
  return pattern;
}

std::string replace_app(std::string pattern, std::string_view app) { return replace_token(std::move(pattern), "{app}", app); }

void check_app_name(std::string_view app) {
  bool ok = !app.empty() && app.front() != '.' && app.front() != '-';
  for (char c : app) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (!ok)
    throw InputError("'" + std::string(app) +
                     "' is not an app name (letters, digits, '-', '_' and '.', not starting with '.' or '-')");
}

// Where each checked-later value was written, so cross-checks can point at it.
struct Places {
  std::map<std::string, Location> after;
  std::map<std::string, Location> approvals;
  std::map<std::string, Location> approvers_key;
  std::map<std::string, Location> approvals_key;  // written, whatever its value
  std::map<std::string, Location> signed_key;
  std::map<std::string, std::vector<std::pair<std::string, Location>>> approvers;  // each entry as written
};

class Loader {
 public:
  Loader(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) { policy_.file = file; }

  Policy load(std::string_view text) {
    if (!check_input_text(text, file_, "policy file", diags_)) return policy_;
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      diags_.add(Location{file_, e.mark.line + 1, e.mark.column + 1}, yaml_error_message(e, text) + at_sign_hint(text, e.mark));
      return policy_;
    }
    if (!root.IsMap()) {
      diags_.add(root.IsNull() || !root.IsDefined() ? Location{file_, 1, 1} : location_of(root, file_),
                 "the policy must be a mapping with 'environments', got " + yaml_type_name(root));
      return policy_;
    }
    check_keys(root, kTopKeys, "the policy", file_, diags_);
    if (auto n = root["image"]; n) {
      if (auto s = read_string(n, "image", file_, diags_)) policy_.image = *s;
    }
    load_image_places(root);
    if (auto n = root["groups"]; n) load_groups(n);
    if (auto n = root["identities"]; n) load_identities(n);
    if (auto n = root["notify"]; n) load_notify(n);
    if (auto n = root["environments"]; !n) {
      diags_.add(location_of(root, file_), "the policy has no 'environments'");
    } else if (expect_map(n, "environments", file_, diags_)) {
      check_duplicate_keys(n, "environments", file_, diags_);
      for (auto it = n.begin(); it != n.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        if (policy_.find(it->first.Scalar())) continue;  // a duplicate, already reported
        load_environment(it->first, it->second);
      }
      if (policy_.environments.empty()) diags_.add(location_of(n, file_), "'environments' is empty");
    }
    check_after();
    check_gates();
    std::vector<std::string> names;
    for (const auto& e : policy_.environments) names.push_back(e.name);
    check_app_files(policy_.apps, names, diags_);
    return policy_;
  }

 private:
  // `image_at` (or its short form `image_key: K`, the same as `image_at: {tag: K}`) and `apps` (image_shape.hpp).
  void load_image_places(const YAML::Node& root) {
    const YAML::Node key = root["image_key"], at = root["image_at"];
    if (key && at) diags_.add(location_of(key, file_), "give 'image_at' or its short form 'image_key', not both");
    if (key) {
      if (auto s = read_string(key, "image_key", file_, diags_)) {
        if (s->empty()) diags_.add(location_of(key, file_), "'image_key' must not be empty");
        else if (check_key_path_at(key, "image_key", file_, diags_)) policy_.image_at.tags = {*s};
      }
    } else if (at) {
      if (auto shape = load_image_shape(at, "image_at", file_, diags_)) policy_.image_at = std::move(*shape);
    }
    if (const YAML::Node apps = root["apps"]; apps) policy_.apps = load_app_rules(apps, file_, diags_);
  }

  // notify: {on_promotion: [{webhook, text, on_error}]}. The policy is committed to a repository many people read,
  // so a webhook (a credential) must come from a variable of the environment Hoist runs in.
  void load_notify(const YAML::Node& n) {
    if (n.IsNull() || !expect_map(n, "notify", file_, diags_)) return;
    check_keys(n, {"on_promotion"}, "notify", file_, diags_);
    for (auto& hook : read_notify_hooks(n["on_promotion"], "on_promotion", file_, diags_)) {
      const std::string& url = hook.webhook.value;
      if (url.find("${") == std::string::npos && (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0))
        diags_.add(hook.webhook.loc, "a webhook in the policy must come from a variable such as "
                                     "${SLACK_WEBHOOK_URL}: the URL is a secret, and this file is not");
      policy_.on_promotion.push_back(std::move(hook));
    }
  }

  // yaml-cpp's message for `approvers: [@sre]` does not say that '@' must be quoted.
  static std::string at_sign_hint(std::string_view text, const YAML::Mark& mark) {
    if (mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < text.size() && text[mark.pos] == '@')
      return " (a group name starting with '@' must be quoted: \"@sre\")";
    return "";
  }

  void load_groups(const YAML::Node& n) {
    if (!expect_map(n, "groups", file_, diags_)) return;
    check_duplicate_keys(n, "groups", file_, diags_);
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string name = it->first.Scalar();
      if (name.empty() || name.front() == '@')
        diags_.add(location_of(it->first, file_), "group names are written without '@' here: '" + name + "'");
      if (!it->second.IsSequence()) {
        read_string_list(it->second, "groups." + name, file_, diags_);  // reports the type error
        continue;
      }
      std::vector<std::string> members;
      const YAML::Node list = it->second;  // `it->` is a temporary proxy: ranging over its member would dangle
      for (const auto& m : list) {
        auto s = read_string(m, "groups." + name, file_, diags_);
        if (!s) continue;
        if (!s->empty() && s->front() == '@')
          diags_.add(location_of(m, file_), "groups cannot contain groups: '" + *s + "'");
        else if (s->empty())
          diags_.add(location_of(m, file_), "a group member must not be empty");
        else
          members.push_back(*s);
      }
      policy_.groups[name] = std::move(members);
    }
  }

  void load_identities(const YAML::Node& n) {
    if (!expect_map(n, "identities", file_, diags_)) return;
    check_duplicate_keys(n, "identities", file_, diags_);
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      if (auto user = read_string(it->second, "identities." + it->first.Scalar(), file_, diags_))
        policy_.identities[it->first.Scalar()] = *user;
    }
  }

  std::optional<std::string> required_string(const YAML::Node& env, const std::string& key, const std::string& name) {
    const YAML::Node n = env[key];
    if (!n) {
      diags_.add(location_of(env, file_), "environment '" + name + "' needs '" + key + "'");
      return std::nullopt;
    }
    auto s = read_string(n, key, file_, diags_);
    if (s && s->empty()) {
      diags_.add(location_of(n, file_), "'" + key + "' must not be empty");
      return std::nullopt;
    }
    return s;
  }

  void optional_string(const YAML::Node& env, const std::string& key, std::string& out) {
    if (const YAML::Node n = env[key]; n) {
      if (auto s = read_string(n, key, file_, diags_)) out = *s;
    }
  }

  void load_environment(const YAML::Node& key, const YAML::Node& n) {
    Environment env;
    env.name = key.Scalar();
    env.location = location_of(key, file_);
    if (expect_map(n, env.name, file_, diags_)) {
      const std::string what = "environment '" + env.name + "'";
      check_keys(n, kEnvironmentKeys, what, file_, diags_);
      if (auto s = required_string(n, "branch", env.name)) env.branch = *s;
      if (auto s = required_string(n, "file", env.name)) env.file = *s;
      optional_string(n, "registry", env.registry);
      optional_string(n, "repository", env.repository);
      optional_string(n, "image", env.image);
      if (const YAML::Node a = n["after"]; a) {
        if (auto s = read_string(a, "after", file_, diags_)) {
          env.after = *s;
          places_.after[env.name] = location_of(a, file_);
        }
      }
      if (const YAML::Node p = n["pin"]; p) {
        if (auto s = read_string(p, "pin", file_, diags_)) {
          if (*s == "digest" || *s == "tag")
            env.pin_digest = *s == "digest";
          else
            diags_.add(location_of(p, file_), "'pin' must be 'digest' or 'tag', got '" + *s + "'");
        }
      }
      if (const YAML::Node g = n["gate"]; g) load_gate(g, env);
    }
    policy_.environments.push_back(std::move(env));
  }

  void load_gate(const YAML::Node& n, Environment& env) {
    if (!expect_map(n, "gate", file_, diags_)) return;
    check_keys(n, kGateKeys, "the gate of '" + env.name + "'", file_, diags_);
    Gate& gate = env.gate;
    if (const YAML::Node v = n["approvals"]; v) {
      places_.approvals_key[env.name] = location_of(v, file_);
      if (auto i = read_integer(v, "approvals", file_, diags_)) {
        if (*i < 0 || *i > 1000)
          diags_.add(location_of(v, file_), "'approvals' must be between 0 and 1000, got " + std::to_string(*i));
        else
          gate.approvals = static_cast<int>(*i);
        places_.approvals[env.name] = location_of(v, file_);
      }
    }
    if (const YAML::Node v = n["approvers"]; v) {
      places_.approvers_key[env.name] = location_of(v, file_);
      if (!v.IsSequence()) {
        read_string_list(v, "approvers", file_, diags_);  // reports the type error
      } else {
        for (const auto& item : v) {
          auto s = read_string(item, "approvers", file_, diags_);
          if (!s) continue;
          if (s->empty() || *s == "@") {
            diags_.add(location_of(item, file_), "an approver must not be empty");
            continue;
          }
          gate.approvers.push_back(*s);
          places_.approvers[env.name].emplace_back(*s, location_of(item, file_));
        }
      }
    }
    if (const YAML::Node v = n["self_approval"]; v) {
      if (auto b = read_bool(v, "self_approval", file_, diags_)) gate.self_approval = *b;
    }
    if (const YAML::Node v = n["freeze"]; v) load_freeze(v, gate);
    if (const YAML::Node v = n["approval_ttl"]; v) {
      if (auto s = read_string(v, "approval_ttl", file_, diags_)) {
        auto d = parse_duration(*s);
        if (!d || d->count() < 1000)
          diags_.add(location_of(v, file_),
                     "'approval_ttl' must be a duration of at least 1s, like 24h or 90m, got '" + *s + "'");
        else
          gate.approval_ttl = std::chrono::duration_cast<std::chrono::seconds>(*d);
      }
    }
    if (const YAML::Node v = n["signed"]; v) {
      if (auto b = read_bool(v, "signed", file_, diags_)) gate.signed_approvals = *b;
      places_.signed_key[env.name] = location_of(v, file_);
    }
    if (const YAML::Node v = n["allowed_signers"]; v) {
      if (v.IsSequence()) {
        if (read_string_list(v, "allowed_signers", file_, diags_)) {
          for (const auto& item : v) {
            check_signers_line(item.Scalar(), location_of(item, file_), "");
            gate.allowed_signers += item.Scalar() + "\n";
          }
        }
      } else if (auto s = read_string(v, "allowed_signers", file_, diags_)) {
        gate.allowed_signers = *s;
        if (!gate.allowed_signers.empty() && gate.allowed_signers.back() != '\n') gate.allowed_signers += "\n";
        std::size_t start = 0;
        for (int number = 1; start < gate.allowed_signers.size(); ++number) {
          const std::size_t nl = gate.allowed_signers.find('\n', start);
          check_signers_line(gate.allowed_signers.substr(start, nl - start), location_of(v, file_),
                             " line " + std::to_string(number));
          start = nl + 1;
        }
      }
    }
  }

  // An allowed_signers line is "PRINCIPALS [OPTIONS] KEYTYPE BASE64-KEY": at least three fields outside quotes.
  void check_signers_line(const std::string& line, const Location& at, const std::string& which) {
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') return;
    int fields = 0;
    bool in_field = false, quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      const bool blank = !quoted && (c == ' ' || c == '\t');
      if (!blank && !in_field) ++fields;
      in_field = !blank;
    }
    if (fields < 3)
      diags_.add(at, "'allowed_signers'" + which + " is not 'PRINCIPALS [OPTIONS] KEYTYPE KEY': '" + line + "'");
  }

  void load_freeze(const YAML::Node& v, Gate& gate) {
    if (!v.IsSequence() && !v.IsScalar()) {
      read_string_list(v, "freeze", file_, diags_);  // reports the type error
      return;
    }
    std::vector<YAML::Node> items;
    if (v.IsScalar()) items.push_back(v);
    else
      for (const auto& item : v) items.push_back(item);
    for (const auto& item : items) {
      auto s = read_string(item, "freeze", file_, diags_);
      if (!s) continue;
      FreezeParseError error;
      if (auto w = parse_freeze_window(*s, error)) {
        gate.freeze.push_back(std::move(*w));
        continue;
      }
      Location at = location_of(item, file_);
      // Point into the string when it sits on one line (plain, or quoted: one more column for the quote).
      if (s->find('\n') == std::string::npos && at.column > 0)
        at.column += static_cast<int>(error.offset) + (is_quoted(item) ? 1 : 0);
      diags_.add(at, "bad freeze window '" + *s + "': " + error.message);
    }
  }

  // `after` must name another environment, and following `after` must never come back.
  void check_after() {
    std::vector<std::string> names;
    for (const auto& e : policy_.environments) names.push_back(e.name);
    std::set<std::string> bad;
    for (const auto& e : policy_.environments) {
      if (e.after.empty()) continue;
      if (e.after == e.name) {
        diags_.add(places_.after[e.name], "environment '" + e.name + "' cannot come after itself");
        bad.insert(e.name);
      } else if (!policy_.find(e.after)) {
        std::vector<std::string> others;
        for (const auto& n : names)
          if (n != e.name) others.push_back(n);
        diags_.add(places_.after[e.name],
                   "'after' names unknown environment '" + e.after + "'" + did_you_mean_suffix(e.after, others));
        bad.insert(e.name);
      }
    }
    std::set<std::string> in_reported_cycle;
    for (const auto& e : policy_.environments) {
      if (bad.count(e.name) || in_reported_cycle.count(e.name)) continue;
      std::vector<std::string> path{e.name};
      const Environment* cur = &e;
      while (!cur->after.empty() && !bad.count(cur->name)) {
        const Environment* next = policy_.find(cur->after);
        if (!next) break;
        auto seen = std::find(path.begin(), path.end(), next->name);
        if (seen != path.end()) {
          if (seen == path.begin()) {  // report each cycle once, at its first environment in file order
            std::string chain;
            for (const auto& p : path) chain += "'" + p + "' -> ";
            chain += "'" + e.name + "'";
            diags_.add(places_.after[e.name], "'after' forms a cycle: " + chain);
            in_reported_cycle.insert(path.begin(), path.end());
          }
          break;
        }
        path.push_back(next->name);
        cur = next;
      }
    }
  }

  void check_gates() {
    for (const auto& e : policy_.environments) {
      const Gate& g = e.gate;
      std::vector<std::string> group_names;
      for (const auto& [name, members] : policy_.groups) group_names.push_back("@" + name);
      for (const auto& [approver, at] : places_.approvers[e.name]) {
        if (approver.front() == '@' && !policy_.groups.count(approver.substr(1)))
          diags_.add(at, "unknown group '" + approver + "'" + did_you_mean_suffix(approver, group_names));
      }
      const std::vector<std::string> people = policy_.approvers_of(e);
      if (g.approvals > 0 && places_.approvals.count(e.name)) {
        if (g.approvers.empty()) {
          diags_.add(places_.approvals[e.name], "the gate of '" + e.name + "' needs " + std::to_string(g.approvals) +
                                                    " approvals but names no 'approvers'");
        } else if (static_cast<std::size_t>(g.approvals) > people.size()) {
          std::string list;
          for (const auto& p : people) list += (list.empty() ? "" : ", ") + p;
          diags_.add(places_.approvals[e.name],
                     "the gate of '" + e.name + "' needs " + std::to_string(g.approvals) + " approvals but only " +
                         std::to_string(people.size()) + (people.size() == 1 ? " person" : " people") +
                         " may approve" + (list.empty() ? "" : " (" + list + ")"));
        }
      }
      if (places_.approvers_key.count(e.name) && !places_.approvals_key.count(e.name))
        diags_.add(places_.approvers_key[e.name],
                   "the gate of '" + e.name + "' names 'approvers' but no 'approvals' count, so it would need none: "
                   "add 'approvals: N' (or 'approvals: 0' to say so)");
      if (g.signed_approvals && g.allowed_signers.find_first_not_of(" \t\n") == std::string::npos)
        diags_.add(places_.signed_key[e.name],
                   "the gate of '" + e.name + "' has 'signed: true' but no 'allowed_signers'");
    }
  }

  const std::string& file_;
  Diagnostics& diags_;
  Policy policy_;
  Places places_;
};

}  // namespace

const Environment* Policy::find(std::string_view name) const {
  for (const auto& e : environments)
    if (e.name == name) return &e;
  return nullptr;
}

const Environment& Policy::environment(std::string_view name) const {
  if (const Environment* e = find(name)) return *e;
  std::vector<std::string> names;
  for (const auto& e : environments) names.push_back(e.name);
  throw InputError(file + " has no environment '" + std::string(name) + "'" + did_you_mean_suffix(name, names) +
                   "; its environments: " + join(names, ", "));
}

std::vector<std::string> Policy::promotion_order() const {
  // Repeatedly take, in file order, every environment whose `after` is already placed. A cycle (which the loader
  // reports) leaves its environments out.
  std::vector<std::string> order;
  std::set<std::string> placed;
  bool progress = true;
  while (progress) {
    progress = false;
    for (const auto& e : environments) {
      if (placed.count(e.name)) continue;
      if (e.after.empty() || placed.count(e.after) || !find(e.after)) {
        order.push_back(e.name);
        placed.insert(e.name);
        progress = true;
      }
    }
  }
  return order;
}

std::vector<std::string> Policy::approvers_of(const Environment& env) const {
  std::set<std::string> people;
  for (const auto& a : env.gate.approvers) {
    if (a.front() != '@') {
      people.insert(user_for(a));
    } else if (auto g = groups.find(a.substr(1)); g != groups.end()) {
      for (const auto& m : g->second) people.insert(user_for(m));
    }
  }
  return {people.begin(), people.end()};
}

std::string Policy::user_for(std::string_view identity) const {
  if (auto it = identities.find(std::string(identity)); it != identities.end()) return it->second;
  const std::string wanted = normalize_identity(identity);
  for (const auto& [id, user] : identities)
    if (normalize_identity(id) == wanted) return user;
  return std::string(identity);
}

std::string Policy::file_for(std::string_view env, std::string_view app) const {
  const Environment& e = environment(env);
  check_app_name(app);
  std::string pattern = e.file;
  if (const AppRule* rule = find_app_rule(apps, app)) {
    if (auto it = rule->files.find(e.name); it != rule->files.end()) pattern = it->second;
    else if (!rule->file.empty()) pattern = rule->file;
  }
  return replace_token(replace_app(pattern, app), "{env}", e.name);
}

std::vector<std::string> Policy::file_patterns(const Environment& env) const {
  std::vector<std::string> out{replace_token(env.file, "{env}", env.name)};
  for (const auto& rule : apps) {
    std::string pattern = rule.file;
    if (auto it = rule.files.find(env.name); it != rule.files.end()) pattern = it->second;
    pattern = replace_token(pattern, "{env}", env.name);
    if (!pattern.empty() && std::find(out.begin(), out.end(), pattern) == out.end()) out.push_back(pattern);
  }
  return out;
}

ImageShape Policy::shape_for(std::string_view app) const {
  const AppRule* rule = find_app_rule(apps, app);
  return (rule && rule->image_at ? *rule->image_at : image_at).for_app(app);
}

std::string Policy::image_for(std::string_view env, std::string_view app) const {
  const Environment& e = environment(env);
  check_app_name(app);
  std::string pattern = e.image.empty() ? image : e.image;
  if (pattern.empty())
    throw InputError(file + " names no image for environment '" + e.name + "' (set 'image' at the top or in it)");
  // registry/path: the registry is the first component when it names a host, as Docker decides.
  std::string registry, repository = pattern;
  if (auto slash = pattern.find('/'); slash != std::string::npos) {
    std::string first = pattern.substr(0, slash);
    if (registry::names_registry_host(first)) {
      registry = first;
      repository = pattern.substr(slash + 1);
    }
  }
  if (!e.registry.empty()) registry = e.registry;
  if (!e.repository.empty()) repository = e.repository;
  return replace_app(registry.empty() ? repository : registry + "/" + repository, app);
}

Policy load_policy(std::string_view text, const std::string& file, Diagnostics& diags) {
  return Loader(file, diags).load(text);
}

Policy load_policy(std::string_view text, const std::string& file) {
  Diagnostics diags;
  Policy policy = load_policy(text, file, diags);
  if (!diags.empty()) throw DiagnosticsError(std::move(diags));
  return policy;
}

}  // namespace hoist::promote
