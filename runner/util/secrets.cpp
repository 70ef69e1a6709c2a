// Secret masking. Every line Hoist prints goes through SecretMasker::mask, so it must be both correct and cheap.
//
// Why not "replace each secret in turn, longest first"? Because a sequential replace can leak part of a secret:
// with secrets "abcdef" and "defghi", the text "abcdefghi" becomes "********ghi" once "abcdef" is replaced, and
// "defghi" no longer matches. Instead, every occurrence of every secret is found in the *original* text (including
// overlapping occurrences), the covered byte ranges are merged, and each merged range becomes one "********":
//
//   secrets: "abcdef", "defghi", "cd"      text: "x abcdefghi y cd"
//   covered:    ^^^^^^^^^           ^^      result: "x ******** y ********"
//
// Secrets that are substrings of one another ("token", "token123") need no special care for the same reason. The
// cost is one std::string_view::find scan per secret per line, and nothing at all when there are no secrets.

#include "runner/util/secrets.hpp"

#include <algorithm>
#include <cctype>

namespace hoist {
namespace {

constexpr size_t min_secret_length = 3;

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace

bool is_secret_name(std::string_view name, const std::set<std::string>& declared) {
  if (declared.count(std::string(name))) return true;
  // Case-insensitive: `github_token` is as secret as `GITHUB_TOKEN`, and masking too much is the safe mistake.
  for (std::string_view word : {"TOKEN", "PASSWORD", "SECRET", "KEY"}) {
    if (iequals(name, word)) return true;
    if (name.size() > word.size() && iends_with(name, word) && name[name.size() - word.size() - 1] == '_') return true;
  }
  return false;
}

void SecretMasker::add(std::string_view value) {
  auto add_one = [this](std::string_view v) {
    if (v.size() < min_secret_length) return;
    if (std::find(values_.begin(), values_.end(), v) != values_.end()) return;
    values_.emplace_back(v);
  };
  add_one(value);
  // Output is masked line by line, so a multi-line secret (a PEM key, a kubeconfig) would never match as a whole:
  // mask each of its lines as well.
  if (value.find_first_of("\r\n") != std::string_view::npos) {
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find_first_of("\r\n", start);
      if (end == std::string_view::npos) end = value.size();
      std::string_view line = value.substr(start, end - start);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
      add_one(line);
      start = end + 1;
    }
  }
  std::stable_sort(values_.begin(), values_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string SecretMasker::mask(std::string_view text) const {
  if (values_.empty() || text.size() < min_secret_length) return std::string(text);

  // Covered byte ranges [begin, end), collected per secret in increasing order, merged below.
  std::vector<std::pair<size_t, size_t>> ranges;
  for (const std::string& secret : values_) {
    if (secret.size() > text.size()) continue;
    const size_t first_of_this_secret = ranges.size();
    size_t pos = text.find(secret);
    while (pos != std::string_view::npos) {
      size_t end = pos + secret.size();
      // Overlapping occurrences of the same secret ("aaa" in "aaaa") extend its previous range.
      if (ranges.size() > first_of_this_secret && pos <= ranges.back().second)
        ranges.back().second = end;
      else
        ranges.emplace_back(pos, end);
      pos = text.find(secret, pos + 1);
    }
  }
  if (ranges.empty()) return std::string(text);

  std::sort(ranges.begin(), ranges.end());
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;  // text[0, copied) has been handled
  size_t i = 0;
  while (i < ranges.size()) {
    size_t begin = ranges[i].first, end = ranges[i].second;
    for (++i; i < ranges.size() && ranges[i].first <= end; ++i) end = std::max(end, ranges[i].second);
    out.append(text.substr(copied, begin - copied));
    out.append(mask_text);
    copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace hoist
