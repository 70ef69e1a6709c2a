#pragma once
// A whole file as a string, for tests that check what Hoist wrote (reports, manifests).

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace hoist::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace hoist::test
