#pragma once
// WWW-Authenticate as registries send it: `Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull,push"`
// (commas inside quotes), or `Basic realm="..."`, possibly several challenges in one header.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hoist::registry {

struct Challenge {
  std::string scheme;                         // lower-cased: "bearer", "basic"
  std::map<std::string, std::string> params;  // names lower-cased, values unquoted
};

std::vector<Challenge> parse_www_authenticate(std::string_view header);

}  // namespace hoist::registry
