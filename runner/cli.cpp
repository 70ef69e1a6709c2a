#include "runner/cli.hpp"

#include <cstdio>

namespace hoist {

int cli_main(int, char**) {
  std::puts("hoist " HOIST_VERSION);
  return 0;
}

}  // namespace hoist
