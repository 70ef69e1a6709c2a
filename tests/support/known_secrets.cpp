// The ledger of the suite-wide leak check (see known_secrets.hpp).
#include "tests/support/known_secrets.hpp"

#include <fstream>
#include <mutex>
#include <set>
#include <utility>

namespace hoist::test {
namespace {

struct Ledger {
  std::mutex mutex;
  std::vector<Secret> secrets;
  std::set<std::filesystem::path> inputs;
  std::vector<std::pair<std::string, std::string>> outputs;
  std::vector<Leak> leaks;
};

Ledger& ledger() {
  static Ledger* l = new Ledger;  // never destroyed: TempDirs of static objects may still call in at exit
  return *l;
}

void add(std::vector<Secret> more) {
  auto& l = ledger();
  std::lock_guard lock(l.mutex);
  for (auto& s : more) {
    bool known = false;
    for (const auto& k : l.secrets) known = known || k.value == s.value;
    if (!known) l.secrets.push_back(std::move(s));
  }
}

std::filesystem::path normal(const std::filesystem::path& p) {
  std::error_code ec;
  auto c = std::filesystem::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : c;
}

}  // namespace

void add_credential(const std::string& label, const std::string& username, const std::string& password) {
  add(credential_secrets(label, username, password));
}

void add_secret(const std::string& label, const std::string& value) { add(credential_secrets(label, "", value)); }

void add_private_key(const std::string& label, const std::filesystem::path& key_file) {
  add_secret_input(key_file);
  std::ifstream in(key_file);
  std::vector<Secret> lines;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (line.empty() || line.starts_with("-----")) continue;
    if (first) {
      first = false;
      continue;
    }
    if (line.size() >= 16) lines.push_back({label + " (line " + std::to_string(lines.size() + 2) + ")", line});
  }
  add(std::move(lines));
}

void add_secret_input(const std::filesystem::path& file) {
  auto& l = ledger();
  auto n = normal(file);
  std::lock_guard lock(l.mutex);
  l.inputs.insert(n);
}

void capture_output(const std::string& name, std::string text) {
  auto& l = ledger();
  std::lock_guard lock(l.mutex);
  l.outputs.emplace_back(name, std::move(text));
}

void check_tree_before_removal(const std::filesystem::path& root) noexcept {
  try {
    auto& l = ledger();
    std::vector<Secret> secrets;
    std::set<std::filesystem::path> inputs;
    {
      std::lock_guard lock(l.mutex);
      secrets = l.secrets;
      inputs = l.inputs;
    }
    // Git config files are checked even when no secret is known: a password in a remote URL is one anyway.
    auto found = scan_tree(secrets, normal(root), inputs);
    std::lock_guard lock(l.mutex);
    for (auto& f : found) l.leaks.push_back(std::move(f));
  } catch (...) {
    // a scan that cannot run must not turn a destructor into a crash
  }
}

std::vector<Leak> take_leaks() {
  auto& l = ledger();
  std::lock_guard lock(l.mutex);
  std::vector<Leak> out = std::move(l.leaks);
  l.leaks.clear();
  for (const auto& [name, text] : l.outputs)
    for (auto& f : scan_text(l.secrets, name, text)) out.push_back(std::move(f));
  l.outputs.clear();
  return out;
}

}  // namespace hoist::test
