#include "tests/support/leak_check.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "steps/http/base64.hpp"

namespace hoist::test {
namespace {

std::string percent_encoded(const std::string& in) {
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void scan(const std::vector<std::string>& credentials, const std::string& where, const std::string& text,
          std::vector<std::string>& found) {
  for (std::size_t i = 0; i < credentials.size(); ++i)
    if (!credentials[i].empty() && text.find(credentials[i]) != std::string::npos)
      found.push_back(where + ": contains credential #" + std::to_string(i));
}

}  // namespace

std::vector<std::string> credential_forms(const std::string& username, const std::string& password) {
  std::vector<std::string> out = {password};
  if (percent_encoded(password) != password) out.push_back(percent_encoded(password));
  out.push_back(hoist::base64_encode(username + ":" + password));
  // base64 of the password alone, cut to the part that does not depend on what precedes or follows it.
  const std::string b = hoist::base64_encode(password);
  out.push_back(b.substr(0, (password.size() / 3) * 4));
  return out;
}

std::vector<std::string> find_leaks(const std::vector<std::string>& credentials,
                                    const std::map<std::string, std::string>& outputs,
                                    const std::vector<std::filesystem::path>& trees) {
  namespace fs = std::filesystem;
  std::vector<std::string> found;
  for (const auto& [name, text] : outputs) scan(credentials, name, text, found);
  for (const auto& tree : trees) {
    std::error_code ec;
    if (!fs::is_directory(tree, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(tree, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
      std::ifstream in(it->path(), std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      scan(credentials, it->path().string(), s.str(), found);
    }
  }
  return found;
}

}  // namespace hoist::test
