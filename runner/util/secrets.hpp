#pragma once
// Secret masking: every line Hoist prints (text, JSON, JUnit, dotenv, error messages) passes through one masker.

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hoist {

// True for names listed under `secrets:` and for names ending in _TOKEN, _PASSWORD, _SECRET or _KEY
// (or equal to TOKEN, PASSWORD, SECRET, KEY).
bool is_secret_name(std::string_view name, const std::set<std::string>& declared = {});

class SecretMasker {
 public:
  static constexpr std::string_view mask_text = "********";
  // Values shorter than 3 characters are not masked: masking every "a" would hide the log, not a secret.
  void add(std::string_view value);
  // Replaces every occurrence of every secret value (longest first) by ********.
  std::string mask(std::string_view text) const;
  bool empty() const { return values_.empty(); }

 private:
  std::vector<std::string> values_;  // kept sorted longest first
};

}  // namespace hoist
