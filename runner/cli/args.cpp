#include "runner/cli/args.hpp"

#include "runner/util/did_you_mean.hpp"
#include "runner/util/errors.hpp"

namespace hoist {

Args::Args(const std::vector<std::string>& argv, const ArgSpec& spec, const std::string& command) : command_(command) {
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 2 || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string name = a, inline_value;
    bool has_inline = false;
    if (auto eq = a.find('='); eq != std::string::npos && a.starts_with("--")) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
      has_inline = true;
    }
    if (spec.flags.count(name)) {
      if (has_inline) throw InputError("hoist " + command + ": " + name + " takes no value");
      flags_.insert(name);
    } else if (spec.options.count(name)) {
      if (has_inline) {
        options_[name].push_back(inline_value);
      } else if (i + 1 < argv.size()) {
        options_[name].push_back(argv[++i]);
      } else {
        throw InputError("hoist " + command + ": " + name + " needs a value");
      }
      in_order_.emplace_back(name, options_[name].back());
    } else {
      std::vector<std::string> known(spec.flags.begin(), spec.flags.end());
      known.insert(known.end(), spec.options.begin(), spec.options.end());
      throw InputError("hoist " + command + ": unknown option '" + name + "'" + did_you_mean_suffix(name, known));
    }
  }
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::optional<std::string> Args::single(const std::string& name) const {
  auto it = options_.find(name);
  if (it == options_.end() || it->second.empty()) return std::nullopt;
  if (it->second.size() > 1)
    throw InputError("hoist " + command_ + ": " + name + " given more than once ('" + it->second[0] + "' and '" +
                     it->second[1] + "'); give it once");
  return it->second.front();
}

std::vector<std::string> Args::values(const std::string& name) const {
  auto it = options_.find(name);
  return it == options_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace hoist
