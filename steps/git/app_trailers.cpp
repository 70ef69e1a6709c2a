// See app_trailers.hpp.
#include "steps/git/app_trailers.hpp"

namespace hoist {

Trailers app_group(const std::string& app, const std::string& file, const Trailers& trailers) {
  Trailers out{{"Hoist-File", file}, {"Hoist-App", app}};
  out.insert(out.end(), trailers.begin(), trailers.end());
  return out;
}

}  // namespace hoist
