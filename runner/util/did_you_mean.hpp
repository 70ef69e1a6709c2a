#pragma once
// "did you mean 'needs'?" suggestions for misspelt keys, step kinds, step ids and variable names.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hoist {

// Optimal string alignment distance (a transposition counts once), case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate within a small edit distance (transpositions count once), if any.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean_suffix(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace hoist
