// See app_trailers.hpp.
#include "steps/git/app_trailers.hpp"

namespace hoist {

Trailers trailers_for_file(const Trailers& trailers, const std::string& path) {
  Trailers out;
  std::size_t i = 0;
  while (i < trailers.size() && trailers[i].first != "Hoist-App") out.push_back(trailers[i++]);
  if (i == trailers.size()) return out;
  while (i < trailers.size()) {
    std::size_t end = i + 1;
    bool names_path = false;
    while (end < trailers.size() && trailers[end].first != "Hoist-App") {
      if (trailers[end].first == "Hoist-File" && trailers[end].second == path) names_path = true;
      ++end;
    }
    if (names_path) out.insert(out.end(), trailers.begin() + static_cast<std::ptrdiff_t>(i),
                               trailers.begin() + static_cast<std::ptrdiff_t>(end));
    i = end;
  }
  return out;
}

Trailers app_group(const std::string& app, const std::string& file, const Trailers& trailers) {
  Trailers out{{"Hoist-App", app}, {"Hoist-File", file}};
  out.insert(out.end(), trailers.begin(), trailers.end());
  return out;
}

}  // namespace hoist
